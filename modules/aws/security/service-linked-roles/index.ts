import { Construct } from "constructs";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import { AwsContext } from "../../../shared/aws-context";

/**
 * The service-linked roles the platform's resources name or need, per AWS service principal, with the
 * role name AWS gives each. They exist once per account and are created on first use by the AWS
 * console, but not reliably by API calls: a key policy naming a role that does not exist yet fails
 * with `MalformedPolicyDocumentException` (terraform-aws-eks #3013).
 * - `autoscaling.amazonaws.com`: managed node groups launch through Auto Scaling, and the EBS key's
 *   policy grants this role use of the key.
 * - `spot.amazonaws.com`: Spot capacity (the spot node group, Karpenter's Spot launches) is requested
 *   with this role (Karpenter's troubleshooting guide: "The provided credentials do not have
 *   permission to create the service-linked role for EC2 Spot Instances"); the EBS key grants it too.
 * - `config.amazonaws.com`: the AWS Config recorder (modules/aws/security/config-recorder) records
 *   with this role; `PutConfigurationRecorder` names it, so it must exist first.
 */
export const PLATFORM_SERVICE_LINKED_ROLES = {
  "autoscaling.amazonaws.com": "AWSServiceRoleForAutoScaling",
  "spot.amazonaws.com": "AWSServiceRoleForEC2Spot",
  "config.amazonaws.com": "AWSServiceRoleForConfig",
} as const;
export type PlatformServiceLinkedRoleService = keyof typeof PLATFORM_SERVICE_LINKED_ROLES;

/** The ARN of a platform service-linked role: `arn:<partition>:iam::<account>:role/aws-service-role/<service>/<name>`. */
export function serviceLinkedRoleArn(context: AwsContext, service: PlatformServiceLinkedRoleService): string {
  return `arn:${context.partition}:iam::${context.accountId}:role/aws-service-role/${service}/${PLATFORM_SERVICE_LINKED_ROLES[service]}`;
}

/** The account config's `serviceLinkedRoles` section. */
export interface ServiceLinkedRolesSettings {
  /**
   * Services whose role already exists in the account (AWS created it when someone used the service).
   * Creating it again fails with "Service role name … has been taken"; listed here, the role is
   * adopted through a Terraform `import` block on the next apply instead (remove the entry once the
   * import is done, or keep it: an import of a resource already in state does nothing).
   * Find them with `aws iam list-roles --path-prefix /aws-service-role/`. @default []
   */
  readonly alreadyExist?: readonly PlatformServiceLinkedRoleService[];
}

export interface ServiceLinkedRolesProps extends ServiceLinkedRolesSettings {
  /** The config path errors name, e.g. `account.serviceLinkedRoles`. */
  readonly configPath: string;
}

/**
 * The service-linked roles of `PLATFORM_SERVICE_LINKED_ROLES`, created (or imported, for those that
 * already exist) once per account, so every environment's key policies and launches can rely on them.
 * Each resource's Terraform address is stable, `aws_iam_service_linked_role.<short name>`
 * (e.g. `aws_iam_service_linked_role.autoscaling`), for `terraform import` and `state` commands.
 */
export class ServiceLinkedRoles extends Construct {
  /** The roles by service principal (escape hatch). */
  readonly roles: Readonly<Record<PlatformServiceLinkedRoleService, IamServiceLinkedRole>>;
  /** The role ARNs by service principal. */
  readonly roleArns: Readonly<Record<PlatformServiceLinkedRoleService, string>>;

  constructor(scope: Construct, id: string, props: ServiceLinkedRolesProps) {
    super(scope, id);
    const existing = props.alreadyExist ?? [];
    existing.forEach((service, i) => {
      if (!(service in PLATFORM_SERVICE_LINKED_ROLES)) {
        throw new Error(
          `${props.configPath}.alreadyExist[${i}]: "${service}" is not a service whose role the platform manages; use ${Object.keys(PLATFORM_SERVICE_LINKED_ROLES).join(", ")}`,
        );
      }
      if (existing.indexOf(service) !== i) {
        throw new Error(`${props.configPath}.alreadyExist[${i}]: "${service}" is listed twice; list it once`);
      }
    });
    const context = AwsContext.of(this);
    const roles = {} as Record<PlatformServiceLinkedRoleService, IamServiceLinkedRole>;
    const arns = {} as Record<PlatformServiceLinkedRoleService, string>;
    for (const service of Object.keys(PLATFORM_SERVICE_LINKED_ROLES) as PlatformServiceLinkedRoleService[]) {
      const short = shortName(service);
      // No description: AWS's own one stays, so adopting an existing role plans no change.
      const role = new IamServiceLinkedRole(this, short, { awsServiceName: service });
      role.overrideLogicalId(short);
      if (existing.includes(service)) role.importFrom(serviceLinkedRoleArn(context, service));
      roles[service] = role;
      arns[service] = role.arn;
    }
    this.roles = roles;
    this.roleArns = arns;
  }
}

/** `autoscaling.amazonaws.com` → `autoscaling`: the Terraform logical id of the role. */
export function shortName(service: PlatformServiceLinkedRoleService): string {
  return service.split(".")[0];
}
