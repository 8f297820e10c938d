import { ModuleDefinition } from "../../modules/shared/hcl/module";
import { COST_MONITORING_MODULE } from "./cost-monitoring";
import { ELASTICACHE_MODULE } from "./elasticache";
import { WAF_MODULE } from "./waf";
import { Files, formatFiles, moduleFiles } from "./files";

/** The standalone modules, in the order of the infrastructure document's tree. */
export const MODULES: readonly ModuleDefinition[] = [ELASTICACHE_MODULE, WAF_MODULE, COST_MONITORING_MODULE];

/** Every file under dist/terraform: the modules and the environment roots, formatted. */
export async function terraformTree(): Promise<Files> {
  const { files } = await moduleFiles(MODULES);
  return formatFiles(files);
}
