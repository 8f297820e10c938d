import type { ServiceSpec } from "../../modules/aws/delivery/service";
import { authSvc } from "./auth-svc";

/**
 * Every application service, deployed to every environment's `<env>-services` stack. Adding a
 * service is one file here (a `ServiceSpec`, see auth-svc.ts) and one entry in this list; see README,
 * "Application services".
 */
export const SERVICES: readonly ServiceSpec[] = [authSvc];
