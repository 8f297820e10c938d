import { Construct } from "constructs";
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { ClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import { KubernetesManifest } from "../../manifest";
import { CLUSTER_ISSUERS, EnvironmentZones, NAMESPACES } from "../../platform";

/** Let's Encrypt's production ACME directory. */
export const LETS_ENCRYPT_SERVER = "https://acme-v02.api.letsencrypt.org/directory";
/** The Secret (in cert-manager's namespace) holding the private CA's key pair. */
export const PRIVATE_CA_SECRET = "aivo-private-ca";

export interface ClusterIssuersProps {
  /** Config path, e.g. `production.kubernetes.issuers`. */
  readonly where: string;
  /** The region of the Route 53 API calls. */
  readonly region: string;
  /** The environment's zones: DNS01 answers in the public one. */
  readonly zones: EnvironmentZones;
  /** The ACME account e-mail. */
  readonly acmeEmail: string;
  /** The environment's name, in the private CA's common name. */
  readonly environment: string;
}

/**
 * cert-manager's ClusterIssuers: `letsencrypt-dns01` (ACME DNS01 through Route 53, this environment's
 * public zone only, with the controller's IRSA role, so no credentials in the cluster), and a private CA
 * for in-cluster TLS: a self-signed bootstrap issuer signs the CA certificate (ECDSA P-256, 10 years),
 * and `aivo-private-ca` issues from it.
 */
export class ClusterIssuers extends Construct {
  readonly manifests: KubernetesManifest[];

  constructor(scope: Construct, id: string, props: ClusterIssuersProps) {
    super(scope, id);
    const { where, zones } = props;
    const acme = new KubernetesManifest(this, "letsencrypt", {
      where: `${where}.public`,
      object: new ClusterIssuer({
        metadata: { name: CLUSTER_ISSUERS.public },
        spec: {
          acme: {
            server: LETS_ENCRYPT_SERVER,
            email: props.acmeEmail,
            privateKeySecretRef: { name: `${CLUSTER_ISSUERS.public}-account-key` },
            solvers: [
              {
                selector: { dnsZones: [zones.publicZoneName] },
                dns01: { route53: { region: props.region, hostedZoneID: zones.publicZoneId } },
              },
            ],
          },
        },
      }),
    });
    const selfSigned = new KubernetesManifest(this, "selfsigned", {
      where: `${where}.selfSigned`,
      object: new ClusterIssuer({ metadata: { name: CLUSTER_ISSUERS.selfSigned }, spec: { selfSigned: {} } }),
    });
    const caCertificate = new KubernetesManifest(this, "private-ca-certificate", {
      where: `${where}.privateCa`,
      object: new Certificate({
        metadata: { name: PRIVATE_CA_SECRET, namespace: NAMESPACES.certManager.name },
        spec: {
          isCA: true,
          commonName: `AIVO ${props.environment} private CA`,
          secretName: PRIVATE_CA_SECRET,
          duration: "87600h",
          renewBefore: "720h",
          privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
          issuerRef: { name: CLUSTER_ISSUERS.selfSigned, kind: "ClusterIssuer", group: "cert-manager.io" },
        },
      }),
      dependsOn: [selfSigned.resource],
    });
    const privateCa = new KubernetesManifest(this, "private-ca", {
      where: `${where}.private`,
      object: new ClusterIssuer({ metadata: { name: CLUSTER_ISSUERS.private }, spec: { ca: { secretName: PRIVATE_CA_SECRET } } }),
      dependsOn: [caCertificate.resource],
    });
    this.manifests = [acme, selfSigned, caCertificate, privateCa];
  }
}
