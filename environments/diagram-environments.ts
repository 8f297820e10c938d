import type { DiagramEnvironment } from "../scripts/diagram/render";
import { environmentStackNames } from "./cost";
import { drStackName } from "./dr-stack";
import { EnvironmentConfig } from "./types";

/** What `npm run diagram` draws of each environment: its region, its stacks and its DR stack. */
export function diagramEnvironments(environments: readonly EnvironmentConfig[]): DiagramEnvironment[] {
  return environments.map((e) => ({
    name: e.name,
    region: e.region,
    ...(e.drRegion ? { drRegion: e.drRegion } : {}),
    stacks: environmentStackNames(e).filter((s) => s !== drStackName(e.name)),
    ...(e.dr ? { drStack: drStackName(e.name) } : {}),
  }));
}
