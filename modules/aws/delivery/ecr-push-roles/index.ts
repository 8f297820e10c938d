import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { AwsContext } from "../../../shared/aws-context";
import { PolicyStatement, policyDocument } from "../../../shared/iam";
import { Naming } from "../../../shared/naming";
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_URL } from "../../security/github-oidc-roles";

const ISSUER_HOST = GITHUB_OIDC_URL.replace(/^https:\/\//, "");

/** The GitHub environment a service image push runs in: `images-<environment>` (trusted by that environment's push roles only). */
export function imagesEnvironment(environment: string): string {
  return `images-${environment}`;
}

/** The push role's name: `aivo-<environment>-<service>-push`. */
export function imagePushRoleName(project: string, environment: string, service: string): string {
  return new Naming(project, environment).name(service, "push");
}

export interface EcrPushRolesProps {
  /** The account's naming (`project` is read from it). */
  readonly naming: Naming;
  /** The repository whose Actions build the services, `<owner>/<repo>`. */
  readonly repository: string;
  /** The GitHub OIDC provider's ARN (modules/aws/security/github-oidc-roles). */
  readonly providerArn: string;
  /** The environments and the region each one's ECR repositories live in. */
  readonly environments: Readonly<Record<string, string>>;
  /** The services (their names): each has an ECR repository `aivo-<environment>-<service>` in every environment. */
  readonly services: readonly string[];
}

/**
 * The roles a service's pipeline pushes images with, one per environment and service
 * (`aivo-<env>-<service>-push`), trusted only by jobs of this repository running in the GitHub
 * environment `images-<env>` (whose protection rules gate promotion to staging and production).
 * Each may push to its own repository `aivo-<env>-<service>` only, and pull the same service's
 * images from the other environments' repositories (promotion copies an image by digest).
 */
export class EcrPushRoles extends Construct {
  /** Role ARN by environment, then service. */
  readonly roleArns: Readonly<Record<string, Readonly<Record<string, string>>>>;

  constructor(scope: Construct, id: string, props: EcrPushRolesProps) {
    super(scope, id);
    const context = AwsContext.of(this);
    const project = props.naming.project;
    const roleArns: Record<string, Record<string, string>> = {};
    for (const [environment, region] of Object.entries(props.environments)) {
      roleArns[environment] = {};
      for (const service of props.services) {
        const name = imagePushRoleName(project, environment, service);
        const role = new IamRole(this, `${environment}-${service}`, {
          name,
          description: `GitHub Actions of ${props.repository} (environment ${imagesEnvironment(environment)}): push ${service} images to ${project}-${environment}-${service}`,
          assumeRolePolicy: policyDocument([
            {
              Sid: "AllowImagePushJobsOfThisRepository",
              Principal: { Federated: props.providerArn },
              Action: "sts:AssumeRoleWithWebIdentity",
              Condition: {
                StringEquals: {
                  [`${ISSUER_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
                  [`${ISSUER_HOST}:sub`]: `repo:${props.repository}:environment:${imagesEnvironment(environment)}`,
                },
              },
            },
          ]),
          maxSessionDuration: 3600,
        });
        new IamRolePolicy(this, `${environment}-${service}-policy`, {
          role: role.name,
          name: "push-own-repository",
          policy: policyDocument(imagePushStatements(context, project, environment, region, service)),
        });
        roleArns[environment][service] = role.arn;
      }
    }
    this.roleArns = roleArns;
  }
}

/** Push to `<project>-<environment>-<service>` in `region`; pull the same service from any environment's repository. */
export function imagePushStatements(context: AwsContext, project: string, environment: string, region: string, service: string): PolicyStatement[] {
  const repository = (env: string, where: string) => `arn:${context.partition}:ecr:${where}:${context.accountId}:repository/${project}-${env}-${service}`;
  return [
    // GetAuthorizationToken has no resource-level permissions (AWS: "Resource: *").
    { Sid: "RegistryLogin", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "PushOwnRepository",
      Action: [
        "ecr:BatchCheckLayerAvailability",
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
        "ecr:PutImage",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
        "ecr:DescribeImages",
        "ecr:DescribeImageScanFindings",
      ],
      Resource: repository(environment, region),
    },
    {
      Sid: "PullSameServiceForPromotion",
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:DescribeImages"],
      Resource: repository("*", "*"),
    },
  ];
}
