import { ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { PolicyStatement, policyDocument } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";

/** The audience every IRSA token carries (`aud` claim) and the OIDC provider's only client id. */
export const IRSA_AUDIENCE = "sts.amazonaws.com";

/** A Kubernetes namespace or service-account name (RFC 1123 DNS label / subdomain). */
const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export interface ServiceAccountRoleProps {
  /** Names the role `aivo-<env>-<name>` and prefixes validation messages with the environment. */
  readonly naming: Naming;
  /** Component part of the role name, e.g. `eks-ebs-csi-driver` → `aivo-production-eks-ebs-csi-driver`. */
  readonly name: string;
  /** A sentence for the role's description. */
  readonly description: string;
  /** ARN of the cluster's IAM OIDC provider (`EksCluster.oidcProviderArn`). */
  readonly oidcProviderArn: string;
  /**
   * The cluster's OIDC issuer WITHOUT `https://`, e.g. `oidc.eks.us-east-1.amazonaws.com/id/ABC…`
   * (`EksCluster.oidcIssuerUrl`); the trust conditions are keyed `<issuer>:sub` and `<issuer>:aud`.
   */
  readonly oidcIssuerUrl: string;
  /** Namespace of the service account, e.g. `kube-system`. */
  readonly namespace: string;
  /** Name of the service account, e.g. `ebs-csi-controller-sa`. */
  readonly serviceAccount: string;
  /**
   * Further service accounts of the same namespace that may assume the role (e.g. a CSI driver's node
   * DaemonSet beside its controller); each is listed exactly, never by wildcard. @default none
   */
  readonly additionalServiceAccounts?: readonly string[];
  /** Statements of the role's inline policy (Action + Resource, no Principal). @default none */
  readonly statements?: readonly PolicyStatement[];
  /**
   * Managed policies to attach, keyed by a stable short name (the key names the Terraform resource, so
   * reordering never re-creates an attachment), e.g. `{ AmazonEBSCSIDriverPolicy: arn }`. @default none
   */
  readonly managedPolicyArns?: Readonly<Record<string, string>>;
}

/**
 * An IAM role that exactly one Kubernetes service account can assume (IRSA).
 *
 * The trust policy allows `sts:AssumeRoleWithWebIdentity` from the cluster's OIDC provider only when
 * the token's `sub` is `system:serviceaccount:<namespace>:<serviceAccount>` and its `aud` is
 * `sts.amazonaws.com` (both `StringEquals`, no wildcards). Permissions come from `statements` (one
 * inline policy) and/or `managedPolicyArns`.
 */
export class ServiceAccountRole extends Construct {
  /** The role (escape hatch). */
  readonly role: IamRole;
  /** The role ARN, for the service account's `eks.amazonaws.com/role-arn` annotation or an add-on. */
  readonly roleArn: string;
  /** The role name. */
  readonly roleName: string;
  /**
   * The inline policy and managed-policy attachments: depend on them (not only on the role) so that
   * nothing using the role starts before it has its permissions.
   */
  readonly permissions: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: ServiceAccountRoleProps) {
    super(scope, id);
    const roleName = props.naming.name(props.name);
    const where = `${props.naming.environment}.irsa.${props.name}`;
    if (roleName.length > 64) {
      throw new Error(`${where}: role name "${roleName}" is ${roleName.length} characters; IAM allows 64, shorten the name`);
    }
    for (const [field, value] of [
      ["namespace", props.namespace],
      ["serviceAccount", props.serviceAccount],
      ...(props.additionalServiceAccounts ?? []).map((sa, i) => [`additionalServiceAccounts[${i}]`, sa] as const),
    ] as const) {
      if (!Token.isUnresolved(value) && !KUBERNETES_NAME.test(value)) {
        throw new Error(`${where}.${field}: "${value}" is not a Kubernetes name; use lowercase letters, digits, "-" and "."`);
      }
    }
    if (!Token.isUnresolved(props.oidcIssuerUrl) && props.oidcIssuerUrl.includes("://")) {
      throw new Error(`${where}.oidcIssuerUrl: "${props.oidcIssuerUrl}" must not carry a scheme; pass the issuer without https://`);
    }
    const statements = props.statements ?? [];
    const managed = props.managedPolicyArns ?? {};
    if (statements.length === 0 && Object.keys(managed).length === 0) {
      throw new Error(`${where}: the role has no permissions; give statements and/or managedPolicyArns`);
    }

    this.role = new IamRole(this, "role", {
      name: roleName,
      description: props.description,
      assumeRolePolicy: policyDocument([
        {
          Sid: "AllowServiceAccountWebIdentity",
          Principal: { Federated: props.oidcProviderArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${props.oidcIssuerUrl}:sub`]: props.additionalServiceAccounts?.length
                ? [props.serviceAccount, ...props.additionalServiceAccounts].map((sa) => `system:serviceaccount:${props.namespace}:${sa}`)
                : `system:serviceaccount:${props.namespace}:${props.serviceAccount}`,
              [`${props.oidcIssuerUrl}:aud`]: IRSA_AUDIENCE,
            },
          },
        },
      ]),
    });
    this.permissions = [];
    if (statements.length > 0) {
      this.permissions.push(new IamRolePolicy(this, "policy", {
        name: roleName,
        role: this.role.name,
        policy: policyDocument(statements),
      }));
    }
    for (const [key, arn] of Object.entries(managed)) {
      this.permissions.push(new IamRolePolicyAttachment(this, `managed-${key}`, { role: this.role.name, policyArn: arn }));
    }
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
  }
}
