/** Fargate, specialized NodePools, storage classes and VPA as the environments configure them. */
import { Testing } from "cdktf";
import { buildPlatform } from "../environments";
import { development } from "../environments/development";
import { production } from "../environments/production";
import { staging } from "../environments/staging";
import { EnvironmentConfig } from "../environments/types";
import { ConfigError, validateEnvironments } from "../environments/validate";
import { GPU_NODE_POOL } from "../modules/kubernetes/cluster/node-pools";
import { configsOf } from "./helpers";
import { manifestsOf, releaseOf, synthApp } from "./kubernetes-helpers";

// Development as configured, and production with the GPU pool turned on ("if needed"), to check it
// synthesizes end to end (two environments keep the synth short; staging differs only in sizes).
const productionWithGpu: EnvironmentConfig = { ...production, nodePools: { ...production.nodePools, gpu: GPU_NODE_POOL, nvidiaDevicePlugin: true } };
const app = Testing.app();
buildPlatform(app, [development, productionWithGpu]);
const docs = synthApp(app);

/** The specialized pools (issue 18), beside the general and spot pools of the Kubernetes platform (issue 10). */
const poolNames = (env: string) =>
  manifestsOf(docs[`${env}-workloads`], "NodePool")
    .map((m) => m.manifest.metadata.name)
    .filter((name: string) => !["general", "spot"].includes(name))
    .sort();

describe("compute and storage choices per environment", () => {
  it("runs the Karpenter controller's namespace on Fargate in every environment, in its private subnets", () => {
    for (const env of ["development", "production"]) {
      const [profile] = configsOf(docs[env], "aws_eks_fargate_profile");
      expect(profile.fargate_profile_name).toBe(`aivo-${env}-karpenter`);
      expect(profile.selector).toEqual([{ namespace: "karpenter" }]);
      expect(profile.subnet_ids).toEqual(expect.arrayContaining([expect.stringMatching(/^\$\{aws_subnet\.network_private/)]));
      expect(profile.selector.some((s: { namespace: string }) => s.namespace === "kube-system")).toBe(false);
    }
  });

  it("creates the node pools each environment configures, GPU only where turned on", () => {
    expect(poolNames("development")).toEqual(["monitoring"]);
    expect(poolNames("production")).toEqual(["gpu", "high-iops", "monitoring"]);
    expect(() => releaseOf(docs["production-addons"], "nvidia-device-plugin")).not.toThrow();
    expect(() => releaseOf(docs["development-addons"], "nvidia-device-plugin")).toThrow("found 0");
  });

  it("encrypts the storage classes with the environment's EBS key, read from the environment stack", () => {
    for (const env of ["development", "production"]) {
      // The EBS classes (the EFS ones, issue 14, have their own test).
      const classes = configsOf(docs[`${env}-addons`], "kubernetes_storage_class_v1").filter((c) => c.storage_provisioner === "ebs.csi.aws.com");
      expect(classes.map((c) => c.metadata.name).sort()).toEqual(["gp3", "io2"]);
      for (const c of classes) expect(c.parameters.kmsKeyId).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\.outputs\.[^}]+\}$/);
      expect(configsOf(docs[`${env}-addons`], "kubernetes_annotations").map((a) => a.metadata.name)).toEqual(["gp2"]);
    }
  });

  it("installs the VPA, recommender only, in every environment", () => {
    for (const env of ["development", "production"]) {
      const values = JSON.parse(releaseOf(docs[`${env}-addons`], "vpa").values[0]);
      expect(values.updater.enabled).toBe(false);
      expect(values.admissionController.enabled).toBe(false);
    }
  });
});

describe("compute and storage validation through the environment config", () => {
  const reject = (config: EnvironmentConfig, message: string) => {
    const run = () => validateEnvironments([config]);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  };

  it("reports a module rule with the environment's path", () => {
    reject({ ...staging, nodePools: { gpu: GPU_NODE_POOL } }, "staging.nodePools.gpu: a GPU pool without the NVIDIA device plugin");
    reject(
      { ...production, storageClasses: { classes: { gp3: { type: "gp3", default: true }, io2: { type: "io2", iops: 10 } } } },
      "production.storageClasses.classes.io2.iops: 10 is outside what io2 allows (100–256000 IOPS)",
    );
    reject({ ...development, fargate: { profiles: { all: [{ namespace: "kube-system" }] } } }, "development.fargate.profiles.all[0]: every pod of kube-system");
  });

  it("rejects node pools when Karpenter is off", () => {
    reject(
      { ...staging, eks: { ...staging.eks, karpenter: false } },
      "staging.nodePools.monitoring: NodePools need Karpenter, which staging.eks.karpenter: false turns off; enable Karpenter or remove the pool",
    );
  });
});
