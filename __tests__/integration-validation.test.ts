import { Testing } from "cdktf";
import { AdotCollector } from "../modules/kubernetes/addons/adot-collector";
import { AuditTrail } from "../modules/aws/security/audit-trail";
import { Naming } from "../modules/shared/naming";
import { NetworkAcls, NetworkAclsProps } from "../modules/aws/network/network-acls";
import { SiteToSiteVpnSettings, validateSiteToSiteVpn } from "../modules/aws/network/site-to-site-vpn";
import { validateTailscale } from "../modules/kubernetes/addons/tailscale";
import { validateTracing } from "../modules/aws/observability/tracing";
import { validateVault } from "../modules/kubernetes/addons/vault";
import { validateEndpointServices, VpcEndpoints } from "../modules/aws/network/vpc-endpoints";
import { VulnerabilityScanning } from "../modules/aws/security/vulnerability-scanning";

/** The module rules the environment tests do not reach, each fed one bad value. */
const naming = new Naming("aivo", "staging");
const acls = (change: Partial<NetworkAclsProps>): NetworkAclsProps => ({
  naming,
  vpcId: "vpc-1",
  vpcCidrs: ["10.20.0.0/16"],
  publicSubnetIds: ["a"],
  privateSubnetIds: ["b"],
  databaseSubnetIds: ["c"],
  privateSubnetCidrs: ["10.20.1.0/24"],
  databaseSubnetCidrs: ["10.20.201.0/24"],
  ...change,
});
const customer = { name: "acme", bgpAsn: 65001, ipAddress: "198.51.100.7", routedCidrs: ["192.168.0.0/24"] };
const vpn = (change: Partial<SiteToSiteVpnSettings>) => () => validateSiteToSiteVpn("staging", "10.20.0.0/16", { enabled: true, customers: [customer], ...change });
const vault = { address: "https://vault.aivo.edu", kubernetesAuthRole: "aivo", policies: ["read"] };
const synth = (build: (scope: import("constructs").Construct) => void) => () => Testing.synthScope(build);
const rule = { name: "default", priority: 10, reservoirSize: 1, fixedRate: 0.1 };

describe("module validation messages", () => {
  it.each([
    ["a duplicate endpoint service", () => validateEndpointServices("staging.vpcEndpoints.services", ["sts", "kms", "sts"]), 'staging.vpcEndpoints.services[2]: "sts" is listed twice'],
    ["endpoints without subnets", synth((s) => new VpcEndpoints(s, "e", { naming, region: "us-east-1", vpcId: "v", vpcCidrs: ["10.20.0.0/16"], subnetIds: [] })), "staging.vpcEndpoints: no subnets to place the endpoints in"],
    ["a malformed VPC CIDR for the endpoints", synth((s) => new VpcEndpoints(s, "e", { naming, region: "us-east-1", vpcId: "v", vpcCidrs: ["10.20.0.0"], subnetIds: ["a"] })), 'staging.vpcEndpoints: VPC CIDR "10.20.0.0" is not an IPv4 CIDR block'],
    ["a database port out of range", synth((s) => new NetworkAcls(s, "n", acls({ databasePorts: [5432, 70000] }))), "staging.networkAcls.databasePorts[1]: 70000 is not a TCP port (1-65535)"],
    ["a malformed remote CIDR", synth((s) => new NetworkAcls(s, "n", acls({ remoteCidrs: ["192.168.0.0/33"] }))), 'staging.networkAcls.remoteCidrs[0]: "192.168.0.0/33" is not an IPv4 CIDR block'],
    [
      "more rules than a network ACL holds",
      synth((s) => new NetworkAcls(s, "n", acls({ remoteCidrs: Array.from({ length: 20 }, (_, i) => `192.168.${i}.0/24`) }))),
      "staging.networkAcls: the private tier needs 23 ingress rules, above the 20 a network ACL allows (L-2AEEBF1A); use fewer or aggregated CIDRs, or fewer databasePorts",
    ],
    ["a sampling rule name over 32 characters", () => validateTracing(naming, { samplingRules: [{ ...rule, name: "a-very-long-rule-name-here" }] }), 'staging.tracing.samplingRules[0].name: "aivo-staging-a-very-long-rule-name-here" is 39 characters; X-Ray allows 32'],
    ["a sampling priority of 0", () => validateTracing(naming, { samplingRules: [{ ...rule, priority: 0 }] }), "staging.tracing.samplingRules[0].priority: 0 is outside 1-9999"],
    ["a fractional reservoir", () => validateTracing(naming, { samplingRules: [{ ...rule, reservoirSize: 0.5 }] }), "staging.tracing.samplingRules[0].reservoirSize: 0.5 must be a whole number of traces per second ≥ 0"],
    ["no collector replica", synth((s) => new AdotCollector(s, "a", { environment: "staging", region: "us-east-1", roleArn: "arn", replicas: 0 })), "staging.tracing.collector.replicas: 0 must be a whole number ≥ 1"],
    ["a public Amazon-side ASN", vpn({ amazonSideAsn: 7224 }), "staging.siteToSiteVpn.amazonSideAsn: 7224 is not a private ASN (64512-65534 or 4200000000-4294967294)"],
    ["a customer name that is not a slug", vpn({ customers: [{ ...customer, name: "Acme Corp" }] }), 'staging.siteToSiteVpn.customers[0].name: "Acme Corp" is not a slug'],
    ["a customer twice", vpn({ customers: [customer, { ...customer, routedCidrs: ["192.168.9.0/24"] }] }), 'staging.siteToSiteVpn.customers[1].name: "acme" is used twice'],
    ["a malformed customer network", vpn({ customers: [{ ...customer, routedCidrs: ["192.168.0.0/40"] }] }), 'staging.siteToSiteVpn.customers[0].routedCidrs[0]: "192.168.0.0/40" is not an IPv4 CIDR block'],
    [
      "two customers with overlapping networks",
      vpn({ customers: [customer, { ...customer, name: "other", routedCidrs: ["192.168.0.128/25"] }] }),
      "staging.siteToSiteVpn.customers[1].routedCidrs[0]: 192.168.0.128/25 overlaps customers[0].routedCidrs[0] (192.168.0.0/24)",
    ],
    ["a Tailscale router without routes", () => validateTailscale("staging", ["10.20.0.0/16"], { enabled: true, advertiseRoutes: [], authKeySecretName: "k" }), "staging.tailscale.advertiseRoutes: none; list the VPC ranges the tailnet may reach"],
    ["a malformed Tailscale route", () => validateTailscale("staging", ["10.20.0.0/16"], { enabled: true, advertiseRoutes: ["10.20.1.0"], authKeySecretName: "k" }), 'staging.tailscale.advertiseRoutes[0]: "10.20.1.0" is not an IPv4 CIDR block'],
    ["a Tailscale hostname with dots", () => validateTailscale("staging", ["10.20.0.0/16"], { enabled: true, advertiseRoutes: ["10.20.1.0/24"], authKeySecretName: "k", hostname: "a.b" }), 'staging.tailscale.hostname: "a.b" is not a DNS label'],
    ["a Vault address with a path", () => validateVault("staging", { ...vault, address: "https://vault.aivo.edu/v1" }), 'staging.vault.address: "https://vault.aivo.edu/v1" is not an https:// URL of the Vault API'],
    ["a Vault role with spaces", () => validateVault("staging", { ...vault, kubernetesAuthRole: "my role" }), 'staging.vault.kubernetesAuthRole: "my role" is not a Vault role name'],
    ["a Vault policy with spaces", () => validateVault("staging", { ...vault, policies: ["read all"] }), 'staging.vault.policies[0]: "read all" is not a Vault policy name'],
    ["a Vault auth mount with a leading slash", () => validateVault("staging", { ...vault, authMountPath: "/kubernetes" }), 'staging.vault.authMountPath: "/kubernetes" is not a Vault mount path'],
    ["a Glacier transition of 0 days", synth((s) => new AuditTrail(s, "t", { naming: new Naming("aivo", "account"), logRetentionDays: 365, glacierTransitionDays: 0 })), "account.auditTrail.glacierTransitionDays: 0 must be a whole number of days ≥ 1"],
    ["no scanned resource type", synth((s) => new VulnerabilityScanning(s, "v", { naming: new Naming("aivo", "account"), resourceTypes: [] })), "account.vulnerabilityScanning.resourceTypes: empty; scan at least one of ECR, EC2"],
  ] as [string, () => unknown, string][])("rejects %s", (_what, run, message) => {
    expect(run).toThrow(message);
  });
});
