import { Construct } from "constructs";
import { ServicequotasServiceQuota } from "@cdktf/provider-aws/lib/servicequotas-service-quota";
import { QUOTAS } from "../../../shared/quotas";

/** One quota increase the account asks AWS for. */
export interface ServiceQuotaRequest {
  /** The Service Quotas service code, e.g. `ec2`. */
  readonly serviceCode: string;
  /** The quota code, e.g. `L-0263D0A3` (EC2-VPC Elastic IPs). */
  readonly quotaCode: string;
  /** The region the quota applies in. */
  readonly region: string;
  /**
   * The value asked for. It must be at least the account's current value: the provider fails with
   * "requesting … with value less than current" otherwise (check `aws service-quotas get-service-quota`).
   */
  readonly value: number;
  /** Why the platform needs it (what the synth check counted). */
  readonly reason: string;
}

/** The account config's `serviceQuotas` section. */
export interface ServiceQuotasSettings {
  /**
   * Increases requested in code, one `aws_servicequotas_service_quota` each. The quota check of
   * `npm run synth` (modules/shared/quotas) fails while the stacks use more than a quota's AWS
   * default and no request here covers it. @default []
   */
  readonly requests?: readonly ServiceQuotaRequest[];
}

export interface ServiceQuotasProps extends ServiceQuotasSettings {
  /** The config path errors name, e.g. `account.serviceQuotas`. */
  readonly configPath: string;
}

const QUOTA_CODE = /^L-[0-9A-F]{8}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * The account's quota increase requests. AWS approves most small EC2/VPC increases within minutes
 * to hours, some after a support case; the environments that need them are applied after approval
 * (docs/first-apply-aws.md, "Quotas"). Each resource's address is stable:
 * `aws_servicequotas_service_quota.<region>-<quota code>`.
 */
export class ServiceQuotas extends Construct {
  /** The requests by `<region>/<service>/<quota code>` (escape hatch). */
  readonly requests: Readonly<Record<string, ServicequotasServiceQuota>>;

  constructor(scope: Construct, id: string, props: ServiceQuotasProps) {
    super(scope, id);
    const at = `${props.configPath}.requests`;
    const seen = new Map<string, number>();
    const requests: Record<string, ServicequotasServiceQuota> = {};
    (props.requests ?? []).forEach((r, i) => {
      const path = `${at}[${i}]`;
      if (!QUOTA_CODE.test(r.quotaCode)) throw new Error(`${path}.quotaCode: "${r.quotaCode}" is not a quota code (L- and 8 hex digits, e.g. L-0263D0A3)`);
      if (!REGION.test(r.region)) throw new Error(`${path}.region: "${r.region}" is not an AWS region (e.g. us-east-1)`);
      if (!Number.isInteger(r.value) || r.value < 1) throw new Error(`${path}.value: ${r.value} is not a positive whole number`);
      if (!r.reason?.trim()) throw new Error(`${path}.reason: is empty; say what needs the increase`);
      const known = QUOTAS.find((q) => q.quotaCode === r.quotaCode);
      if (known && known.serviceCode !== r.serviceCode) {
        throw new Error(`${path}.serviceCode: "${r.serviceCode}" is not the service of ${r.quotaCode} (${known.name}); use "${known.serviceCode}"`);
      }
      if (known && !known.adjustable) throw new Error(`${path}: ${r.quotaCode} (${known.name}) is a hard limit; no request raises it`);
      if (known && r.value <= known.defaultValue) {
        throw new Error(`${path}.value: ${r.value} is not above the AWS default of ${known.defaultValue} for ${r.quotaCode} (${known.name}); remove the request`);
      }
      const key = `${r.region}/${r.serviceCode}/${r.quotaCode}`;
      if (seen.has(key)) throw new Error(`${path}: ${key} repeats ${at}[${seen.get(key)}]; one request per quota and region`);
      seen.set(key, i);
      requests[key] = new ServicequotasServiceQuota(this, `${r.region}-${r.quotaCode}`, {
        serviceCode: r.serviceCode,
        quotaCode: r.quotaCode,
        region: r.region,
        value: r.value,
      });
      requests[key].overrideLogicalId(`${r.region}-${r.quotaCode}`);
    });
    this.requests = requests;
  }
}
