import { ENVIRONMENTS } from "../../environments";
import { ModuleDefinition } from "../../modules/shared/hcl/module";
import { COST_MONITORING_MODULE } from "./cost-monitoring";
import { EKS_MODULE } from "./eks";
import { ELASTICACHE_MODULE } from "./elasticache";
import { environmentFiles } from "./environments";
import { Files, GeneratedModule, formatFiles, moduleFiles } from "./files";
import { WAF_MODULE } from "./waf";

/** The standalone modules, in the order of the infrastructure document's tree. */
export const MODULES: readonly ModuleDefinition[] = [EKS_MODULE, ELASTICACHE_MODULE, WAF_MODULE, COST_MONITORING_MODULE];

/** Every file under dist/terraform: the modules and one root per environment, formatted. */
export async function terraformTree(): Promise<{ files: Files; modules: GeneratedModule[] }> {
  const { files, modules } = await moduleFiles(MODULES);
  for (const config of ENVIRONMENTS) Object.assign(files, environmentFiles(config, modules[0].versions));
  return { files: await formatFiles(files), modules };
}
