import { TerraformOutput, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { DEFAULT_ORIGIN_HEALTH_CHECK_PATH } from "../modules/aws/edge/cloudfront";
import { DataKubernetesResources } from "@cdktf/provider-kubernetes/lib/data-kubernetes-resources";
import { EcrReplication } from "../modules/aws/delivery/ecr-replication";
import { POSTGRES_PORT } from "../modules/aws/data/database";
import { REDIS_PORT } from "../modules/aws/data/elasticache";
import { CustomerManagedKey } from "../modules/shared/kms";
import { CLUSTER_SECRET_STORE_NAME, HELM_CHARTS, NAMESPACES } from "../modules/kubernetes/platform";
import {
  ApplicationService,
  IMAGE_TAG,
  ServiceDataStores,
  ServiceEnvironment,
  ServiceSpec,
  validateServiceRegistry,
} from "../modules/aws/delivery/service";
import { EnvironmentStack } from "./environment-stack";
import { originNames } from "../modules/aws/edge/origin-names";
import { KubernetesStack } from "./kubernetes-stack";
import type { WorkloadsStack } from "./workloads-stack";

/** The output of `<env>-services` mapping each service to the image tag it runs. */
export const IMAGE_TAGS_OUTPUT = "image_tags";

/** `image_tag_<service with _ for ->`: the Terraform variable the deploy step sets, e.g. `image_tag_auth_svc`. */
export function imageTagVariableName(service: string): string {
  return `image_tag_${service.replace(/-/g, "_")}`;
}

/** `deployed_<service with _>`: the logical id of the data source reading a service's live Deployment. */
export function deployedDeploymentId(service: string): string {
  return `deployed_${service.replace(/-/g, "_")}`;
}

/**
 * The HCL expression of the tag a service runs: the variable when the deploy step sets it, otherwise
 * the tag of the Deployment running in the cluster (read at plan time), so deploying one service, or
 * changing the template, never moves another service's image. Empty when neither exists (a service
 * never deployed): the Deployment's precondition then stops the plan.
 *
 * Written as HCL: cdktf's `Op`/`Fn` helpers render the empty string literal as `undefined`.
 */
export function imageTagExpression(service: string): string {
  const variable = `var.${imageTagVariableName(service)}`;
  const image = `data.kubernetes_resources.${deployedDeploymentId(service)}.objects[0].spec.template.spec.containers[0].image`;
  // Wrapped in tostring() (the identity on strings): inside a template, a bare conditional is the same
  // expression, but HCL tools re-print it as an `%{if}` directive, and the HCL would no longer read as the JSON.
  return `tostring(${variable} != "" ? ${variable} : try(regex(":([^:/@]+)$", ${image})[0], ""))`;
}

/**
 * `<env>-services` (state `aivo/<env>/services.tfstate`), applied after `<env>-workloads`: the
 * application services (`SERVICES`), each from the `ApplicationService` template: its ECR repository
 * and IAM role, and its Kubernetes objects in `aivo`. A stack of its own so the application
 * pipeline's deploy step plans and applies only services, with the image tags as its inputs
 * (`image_tag_<service>`), never the platform's custom resources.
 */
export class ServicesStack extends KubernetesStack {
  /** The workloads stack this one follows (ClusterSecretStore, ServiceMonitor CRD, network defaults). */
  readonly workloads: WorkloadsStack;
  /** The CMK of the environment's ECR repositories. */
  readonly imageKey: CustomerManagedKey;
  /** Each service, keyed by name. */
  readonly services: Readonly<Record<string, ApplicationService>>;
  /** Each service's image tag variable, keyed by service name. */
  readonly imageTagVariables: Readonly<Record<string, TerraformVariable>>;
  /** Image replication to the DR region (environments with a `drRegion`). */
  readonly replication?: EcrReplication;

  constructor(scope: Construct, environment: EnvironmentStack, workloads: WorkloadsStack, specs: readonly ServiceSpec[]) {
    super(scope, environment, "services");
    this.workloads = workloads;
    this.addDependency(workloads);
    validateServiceRegistry(specs);
    const { config, naming } = environment;

    this.imageKey = new CustomerManagedKey(this, "image-key", {
      naming,
      purpose: "ecr",
      description: `ECR repositories of ${naming.prefix}'s services`,
    });
    if (config.drRegion) {
      this.replication = new EcrReplication(this, "image-replication", {
        naming,
        destinationRegion: config.drRegion,
        destinationProvider: this.addAwsProvider("aws-dr", config.drRegion, "dr"),
      });
    }

    const names = originNames(config.edge, config.dr?.traffic);
    const dataStores: ServiceDataStores = {
      postgres: {
        host: environment.database.address,
        port: POSTGRES_PORT,
        subnetCidrs: config.network.databaseSubnets,
        secret: environment.database.masterUserSecretArn,
      },
      redis: {
        host: environment.cache.primaryEndpointAddress,
        port: REDIS_PORT,
        subnetCidrs: config.network.databaseSubnets,
        secret: environment.cache.authTokenSecretName,
      },
    };
    const serviceEnvironment: ServiceEnvironment = {
      naming,
      tier: config.tier,
      namespace: NAMESPACES.aivo.name,
      oidcProviderArn: this.cluster.oidcProviderArn,
      oidcIssuerUrl: this.cluster.oidcIssuerUrl,
      imageKeyArn: this.imageKey.keyArn,
      dataStores,
      secretStoreName: CLUSTER_SECRET_STORE_NAME,
      prometheus: {
        namespace: NAMESPACES.monitoring.name,
        podLabels: { "app.kubernetes.io/name": "prometheus" },
        serviceMonitorLabels: { release: HELM_CHARTS.kubePrometheusStack.name },
      },
      ingress: {
        groupName: naming.prefix,
        // With DR, origin.<domain> is the DR stack's failover pair: the ALB publishes its regional name.
        host: names.published,
        additionalHosts: names.served.filter((n) => n !== names.published),
        certificateArn: environment.edge.originCertificateArn,
        // The addons stack's groups, by id (cross-stack references): CloudFront's, and Route 53's health checkers'.
        securityGroup: workloads.addons.albSecurityGroup.securityGroupIds.join(","),
        sourceCidrs: config.network.publicSubnets,
        deletionProtection: config.tier === "production",
      },
      labels: { environment: config.name },
      networkLoadBalancers: {
        certificateArn: environment.edge.originCertificateArn,
        internalSubnetCidrs: config.network.privateSubnets,
        publicSubnetCidrs: config.network.publicSubnets,
        internalClientCidrs: [config.network.vpcCidr],
        deletionProtection: config.tier === "production",
      },
    };

    // Image tags: a variable per service, falling back to the tag its Deployment runs.
    const services: Record<string, ApplicationService> = {};
    const variables: Record<string, TerraformVariable> = {};
    const tags: Record<string, string> = {};
    const vpaOff = config.verticalPodAutoscaler?.enabled === false;
    // The origin's health check (edge and DR failover) gets 200 only from a ready pod: its path is routed,
    // Exact, to the first public service whose readiness path it is.
    const healthPath = config.edge.healthCheckPath ?? DEFAULT_ORIGIN_HEALTH_CHECK_PATH;
    const healthService = specs.find((s) => (s.publicPaths ?? []).length > 0 && s.probes.readiness === healthPath);
    if (specs.some((s) => (s.publicPaths ?? []).length > 0) && !healthService) {
      throw new Error(
        `${config.name}.edge.healthCheckPath: "${healthPath}" is the readiness path of no public service (${specs.filter((s) => s.publicPaths?.length).map((s) => `${s.name}: ${s.probes.readiness}`).join(", ")}); Route 53 would get the ALB's 404. Use one of them`,
      );
    }
    for (const spec of specs) {
      if (spec.verticalPodAutoscaler && vpaOff) {
        throw new Error(
          `${config.name}.verticalPodAutoscaler.enabled: false, but service ${spec.name} asks for a VerticalPodAutoscaler (verticalPodAutoscaler: true); install the VPA or drop it from the service`,
        );
      }
      const variableName = imageTagVariableName(spec.name);
      const variable = new TerraformVariable(this, variableName, {
        type: "string",
        default: "",
        nullable: false,
        description: `Image tag of ${spec.name} to deploy (the build's immutable tag, never "latest"); empty keeps the deployed one`,
        validation: [
          {
            condition: `\${var.${variableName} == "" || (can(regex("${IMAGE_TAG.source.replace(/\\/g, "\\\\")}", var.${variableName})) && lower(var.${variableName}) != "latest")}`,
            errorMessage: `${variableName}: use the build's immutable image tag (letters, digits, _ . -, at most 128), never "latest".`,
          },
        ],
      });
      variable.overrideLogicalId(variableName);
      const deployed = new DataKubernetesResources(this, deployedDeploymentId(spec.name), {
        apiVersion: "apps/v1",
        kind: "Deployment",
        namespace: serviceEnvironment.namespace,
        fieldSelector: `metadata.name=${spec.name}`,
      });
      deployed.overrideLogicalId(deployedDeploymentId(spec.name));
      const tag = `\${${imageTagExpression(spec.name)}}`;
      const peers = {
        calls: (spec.calls ?? []).map((callee) => ({ name: callee, port: specs.find((s) => s.name === callee)!.port })),
        callers: specs.filter((s) => (s.calls ?? []).includes(spec.name)).map((s) => s.name),
      };
      const service = new ApplicationService(this, spec.name, {
        spec,
        environment: serviceEnvironment,
        imageTag: tag,
        peers,
        originHealthCheckPath: spec === healthService ? healthPath : undefined,
      });
      service.manifests.deployment.resource.lifecycle = {
        precondition: [
          {
            condition: `\${(${imageTagExpression(spec.name)}) != ""}`,
            errorMessage: `${spec.name} has never been deployed to ${config.name}: set ${variableName} (TF_VAR_${variableName}=<tag> cdktf deploy ${this.node.id}).`,
          },
        ],
      };
      services[spec.name] = service;
      variables[spec.name] = variable;
      tags[spec.name] = tag;
    }
    this.services = services;
    this.imageTagVariables = variables;

    new TerraformOutput(this, IMAGE_TAGS_OUTPUT, {
      value: tags,
      description: "The image tag each service runs (the next plan keeps it unless image_tag_<service> is set)",
    });
    new TerraformOutput(this, "role_arns", {
      value: Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.role.roleArn])),
      description: "The IAM role of each service (IRSA, its service account's annotation)",
    });
    new TerraformOutput(this, "repository_urls", {
      value: Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.repositoryUrl])),
      description: "The ECR repository of each service (the build pushes here)",
    });
  }
}
