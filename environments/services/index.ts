import { readdirSync } from "fs";
import { join } from "path";
import { REPOSITORY_ROOT, SERVICE_CHARTS_DIR, ServiceChart, loadServiceChart } from "../../modules/aws/delivery/service";

/** The names of the service charts: every directory of helm/services with a Chart.yaml. */
export function serviceChartNames(root: string = REPOSITORY_ROOT): string[] {
  return readdirSync(join(root, SERVICE_CHARTS_DIR), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * Every application service, deployed to every environment's `<env>-services` stack: one chart each
 * under helm/services (the chart's values.yaml `service:` block is the service's definition, read here
 * for the AWS side). Adding a service is a chart directory; see docs/shipping-a-service.md.
 */
export const SERVICES: readonly ServiceChart[] = serviceChartNames().map((name) => loadServiceChart(name));
