// The EKS cluster construct (the doc's `modules/eks`), composed the way terraform-aws-eks splits it:
// settings.ts (settings, props, shared constants), validate.ts (the rules), security-groups.ts,
// access.ts (access entries), addons.ts (managed add-ons and their IRSA roles), node-groups.ts
// (launch templates and managed node groups), pod-capacity.ts (pod addresses under custom networking).
// Every part creates its resources in this construct's scope, so their Terraform addresses don't
// depend on the file they are written in.
import { Fn, ITerraformDependable, TerraformLocal } from "cdktf";
import { Construct } from "constructs";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { AwsContext } from "../../../shared/aws-context";
import { PolicyStatement, managedPolicyArn, policyDocument, serviceAssumeRolePolicy } from "../../../shared/iam";
import { CustomerManagedKey } from "../../../shared/kms";
import { EncryptedLogGroups } from "../../observability/log-group";
import { serviceLinkedRoleArn } from "../../security/service-linked-roles";
import { EksNodeRole } from "../eks-node-role";
import { IRSA_AUDIENCE } from "../irsa-role";
import { KarpenterPrerequisites } from "../karpenter-prerequisites";
import { createClusterAdminAccess } from "./access";
import { ADDON_NAMES, AddonConfig, createAddonRoles, createManagedAddon, ebsKeyUseStatements, vpcCniConfiguration } from "./addons";
import { createNodeGroups, isSchedulable } from "./node-groups";
import { createSecurityGroups } from "./security-groups";
import { EKS_ADDONS, EksAddonName, EksClusterProps } from "./settings";
import { validateEksProps } from "./validate";

export * from "./settings";
export { ENI_LIMITS, addressesPerNode, assertPodCapacity, customNetworkingMaxPods } from "./pod-capacity";
export type { EniLimits, NodeDemand, PodSubnetPlan } from "./pod-capacity";
export { ebsKeyUseStatements } from "./addons";
export { nodeConfigUserData } from "./node-groups";
export { validateEksProps } from "./validate";
export type { ResolvedSettings } from "./validate";

/**
 * An EKS cluster `aivo-<env>-eks` with everything it needs to run workloads:
 * - control plane in the private subnets, private endpoint (public only with an allowlist), secrets
 *   envelope-encrypted with a CMK, control-plane logs in a KMS-encrypted log group with retention,
 *   `API` authentication with access entries for the admin roles;
 * - managed node groups (AL2023, private subnets, launch template with IMDSv2 and an encrypted gp3 root
 *   volume), a node role without the CNI policy;
 * - managed add-ons (vpc-cni and ebs-csi with IRSA roles), the IAM OIDC provider, the cluster and node
 *   security groups, and the Karpenter prerequisites.
 */
export class EksCluster extends Construct {
  /** The cluster resource (escape hatch). */
  readonly cluster: EksClusterResource;
  /** `aivo-<env>-eks`, a plain string (`aws eks update-kubeconfig --name …`). */
  readonly clusterName: string;
  /** The cluster ARN. */
  readonly clusterArn: string;
  /** The API server endpoint URL. */
  readonly clusterEndpoint: string;
  /** Base64 CA bundle of the API server (for kubernetes/helm providers). */
  readonly clusterCertificateAuthorityData: string;
  /** ARN of the cluster's IAM OIDC provider (IRSA trust policies). */
  readonly oidcProviderArn: string;
  /** The OIDC issuer without `https://` (IRSA condition keys `<issuer>:sub`, `<issuer>:aud`). */
  readonly oidcIssuerUrl: string;
  /** The managed node groups' role ARN. */
  readonly nodeRoleArn: string;
  /** The additional security group of the control plane. */
  readonly clusterSecurityGroupId: string;
  /** The security group of every node (managed and Karpenter-launched). */
  readonly nodeSecurityGroupId: string;
  /** The security group EKS creates and attaches to the control plane ENIs. */
  readonly clusterPrimarySecurityGroupId: string;
  /** ARN of `aivo-<env>-eks-admin`, the cluster-admin role; undefined when `createAdminRole` is false. */
  readonly adminRoleArn?: string;
  /** ARN of the CMK for node root volumes; use it for EBS CSI StorageClasses (`kmsKeyId`) too. */
  readonly ebsKmsKeyArn: string;
  /** The managed node groups by name (escape hatch). */
  readonly nodeGroups: Record<string, EksNodeGroup>;
  /** The launch templates by node group name (escape hatch). */
  readonly launchTemplates: Record<string, LaunchTemplate>;
  /** The managed add-ons by name (escape hatch). */
  readonly addons: Record<EksAddonName, EksAddon>;
  /** Karpenter's roles, queue and rules; undefined when `karpenter` is false. */
  readonly karpenter?: KarpenterPrerequisites;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const settings = validateEksProps(props);
    const { naming } = props;
    const context = AwsContext.of(this);
    const clusterName = naming.name("eks");
    this.clusterName = clusterName;

    // --- keys --------------------------------------------------------------------------------------
    const secretsKey = new CustomerManagedKey(this, "secrets-key", {
      naming,
      purpose: "eks-secrets",
      description: `Envelope encryption of Kubernetes secrets in ${clusterName}`,
    });
    // Managed node groups launch through Auto Scaling, Spot capacity through EC2 Spot: their
    // service-linked roles need the key (https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html).
    // The roles are created once per account by the account stack (modules/aws/security/service-linked-roles),
    // deployed before any environment: a key policy naming a missing role fails to apply.
    const serviceLinkedRoleStatements = (sid: string, role: string): PolicyStatement[] => [
      {
        Sid: `Allow${sid}ServiceLinkedRoleUse`,
        Principal: { AWS: role },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
      },
      {
        Sid: `Allow${sid}ServiceLinkedRoleGrants`,
        Principal: { AWS: role },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
      },
    ];
    const ebsKey = new CustomerManagedKey(this, "ebs-key", {
      naming,
      purpose: "eks-ebs",
      description: `EBS volumes of ${clusterName} (node root volumes, persistent volumes)`,
      additionalStatements: [
        ...serviceLinkedRoleStatements("AutoScaling", serviceLinkedRoleArn(context, "autoscaling.amazonaws.com")),
        ...serviceLinkedRoleStatements("Spot", serviceLinkedRoleArn(context, "spot.amazonaws.com")),
      ],
    });
    this.ebsKmsKeyArn = ebsKey.keyArn;

    // --- control plane ------------------------------------------------------------------------------
    const clusterRole = new IamRole(this, "cluster-role", {
      name: naming.name("eks", "cluster"),
      description: `EKS control plane of ${clusterName}`,
      assumeRolePolicy: serviceAssumeRolePolicy("eks.amazonaws.com"),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, "cluster-role-policy", {
      role: clusterRole.name,
      policyArn: managedPolicyArn(context.partition, "AmazonEKSClusterPolicy"),
    });
    const clusterEncryption = new IamRolePolicy(this, "cluster-role-encryption", {
      name: "secrets-encryption",
      role: clusterRole.name,
      policy: policyDocument([
        {
          Sid: "UseSecretsKey",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
          Resource: secretsKey.keyArn,
        },
      ]),
    });

    // Created here (not by EKS on first log line) so it has retention and KMS from the start.
    const logGroup = new EncryptedLogGroups(this, "logs", {
      naming,
      keyPurpose: "eks-logs",
      description: `Control-plane logs of ${clusterName}`,
      logGroups: { cluster: `/aws/eks/${clusterName}/cluster` },
      retentionInDays: props.logRetentionDays,
      retentionFieldPath: `${naming.environment}.logRetentionDays`,
    }).group("cluster");

    const { clusterSg, nodeSg } = createSecurityGroups(this, props, clusterName, settings.karpenter);

    this.cluster = new EksClusterResource(this, "cluster", {
      name: clusterName,
      roleArn: clusterRole.arn,
      version: settings.kubernetesVersion,
      enabledClusterLogTypes: [...settings.controlPlaneLogTypes],
      // The add-ons below replace the self-managed vpc-cni/kube-proxy/coredns EKS would otherwise install.
      bootstrapSelfManagedAddons: false,
      deletionProtection: settings.deletionProtection,
      vpcConfig: {
        subnetIds: props.privateSubnetIds,
        securityGroupIds: [clusterSg.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: settings.endpointPublicAccess,
        ...(settings.endpointPublicAccess ? { publicAccessCidrs: [...settings.publicAccessCidrs] } : {}),
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.keyArn } },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      upgradePolicy: { supportType: settings.upgradeSupportType },
      dependsOn: [logGroup, clusterPolicy, clusterEncryption],
    });
    this.clusterArn = this.cluster.arn;
    this.clusterEndpoint = this.cluster.endpoint;
    this.clusterCertificateAuthorityData = this.cluster.certificateAuthority.get(0).data;
    this.clusterPrimarySecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;

    // --- access entries for the admins ---------------------------------------------------------------
    this.adminRoleArn = createClusterAdminAccess(this, {
      naming,
      clusterName: this.cluster.name,
      adminRoleArns: settings.adminRoleArns,
      createAdminRole: settings.createAdminRole,
    });

    // --- workload identity ---------------------------------------------------------------------------
    // No thumbprint_list: IAM validates EKS OIDC issuers against its trusted root CAs and ignores
    // thumbprints for them (and the repository has no tls provider to compute one).
    const issuer = this.cluster.identity.get(0).oidc.get(0).issuer;
    const oidcProvider = new IamOpenidConnectProvider(this, "oidc-provider", {
      url: issuer,
      clientIdList: [IRSA_AUDIENCE],
    });
    this.oidcProviderArn = oidcProvider.arn;
    // A local, so every trust policy references `${local.…}` instead of repeating a replace() call.
    this.oidcIssuerUrl = new TerraformLocal(this, "oidc-issuer", Fn.replace(issuer, "https://", "")).asString;

    const { vpcCniRole, ebsCsiRole } = createAddonRoles(this, {
      naming,
      clusterName,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuerUrl: this.oidcIssuerUrl,
      ebsKeyArn: ebsKey.keyArn,
    });

    // --- add-ons that must exist before any node --------------------------------------------------------
    const customNetworking = Object.keys(props.podSubnetIdsByAz ?? {}).length > 0;
    const addonConfig: Record<EksAddonName, AddonConfig> = {
      "vpc-cni": {
        serviceAccountRoleArn: vpcCniRole.roleArn,
        configurationValues: vpcCniConfiguration(context.region, props.podSubnetIdsByAz ?? {}, nodeSg.id),
      },
      "eks-pod-identity-agent": {},
      "kube-proxy": {},
      coredns: {},
      "aws-ebs-csi-driver": { serviceAccountRoleArn: ebsCsiRole.roleArn },
    };
    // vpc-cni waits for its role's policy: otherwise aws-node may start unauthorized and nodes stay NotReady.
    const addonPermissions: Partial<Record<EksAddonName, ITerraformDependable[]>> = {
      "vpc-cni": vpcCniRole.permissions,
      "aws-ebs-csi-driver": ebsCsiRole.permissions,
    };
    const addons = {} as Record<EksAddonName, EksAddon>;
    const makeAddon = (name: EksAddonName, dependsOn: ITerraformDependable[]) => {
      addons[name] = createManagedAddon(this, name, {
        clusterName: this.cluster.name,
        version: settings.addonVersions[name],
        config: addonConfig[name],
        dependsOn,
      });
    };
    const [beforeNodes, afterNodes] = [ADDON_NAMES.filter((n) => EKS_ADDONS[n].beforeCompute), ADDON_NAMES.filter((n) => !EKS_ADDONS[n].beforeCompute)];
    for (const name of beforeNodes) makeAddon(name, addonPermissions[name] ?? []);

    // --- nodes -------------------------------------------------------------------------------------
    const nodeRole = new EksNodeRole(this, "node-role", {
      naming,
      name: "eks-node",
      description: `Managed node groups of ${clusterName}`,
    });
    this.nodeRoleArn = nodeRole.roleArn;
    const { nodeGroups, launchTemplates } = createNodeGroups(this, settings.nodeGroups, {
      naming,
      clusterName,
      clusterNameRef: this.cluster.name,
      clusterVersion: this.cluster.version,
      nodeRoleArn: nodeRole.roleArn,
      nodeSecurityGroupId: nodeSg.id,
      subnetIds: props.privateSubnetIds,
      ebsKeyArn: ebsKey.keyArn,
      customNetworking,
      instanceTags: props.instanceTags ?? {},
      dependsOn: [...beforeNodes.map((n) => addons[n]), ...nodeRole.attachments],
    });
    this.nodeGroups = nodeGroups;
    this.launchTemplates = launchTemplates;
    // --- add-ons that need nodes ---------------------------------------------------------------------
    // They wait for the groups their pods can run on: untainted and on-demand (a Spot shortage in
    // another group must not stall the apply); untainted Spot groups only when there is no such group.
    const schedulable = Object.entries(settings.nodeGroups).filter(([, g]) => isSchedulable(g));
    const onDemand = schedulable.filter(([, g]) => g.capacityType === "ON_DEMAND");
    const systemGroups = (onDemand.length > 0 ? onDemand : schedulable).map(([name]) => this.nodeGroups[name]);
    for (const name of afterNodes) makeAddon(name, [...systemGroups, ...(addonPermissions[name] ?? [])]);
    this.addons = addons;

    this.clusterSecurityGroupId = clusterSg.id;
    this.nodeSecurityGroupId = nodeSg.id;
    // --- Karpenter -----------------------------------------------------------------------------------
    if (settings.karpenter) {
      this.karpenter = new KarpenterPrerequisites(this, "karpenter", {
        naming,
        clusterName: this.cluster.name,
        clusterArn: this.cluster.arn,
        oidcProviderArn: this.oidcProviderArn,
        oidcIssuerUrl: this.oidcIssuerUrl,
        additionalControllerStatements: ebsKeyUseStatements(ebsKey.keyArn, context),
      });
    }
  }
}
