import { Testing } from "cdktf";
import { FailoverRecords, FailoverRecordsProps } from "../modules/aws/network/failover-dns";
import { Naming } from "../modules/shared/naming";
import { configsOf, parse, resourcesOf } from "./helpers";

const base: FailoverRecordsProps = {
  naming: new Naming("aivo", "test"),
  zoneId: "Z123",
  recordName: "origin.test.aivo.edu",
  primaryTarget: "origin-us-east-1.test.aivo.edu",
  secondaryTarget: "origin-us-west-2.test.aivo.edu",
};
const synth = (props: Partial<FailoverRecordsProps> = {}) =>
  parse(Testing.synthScope((scope) => void new FailoverRecords(scope, "failover", { ...base, ...props })));

describe("FailoverRecords", () => {
  const doc = synth({ healthCheckIntervalSeconds: 30, healthCheckFailureThreshold: 2, ttlSeconds: 30, healthCheckPath: "/ready" });

  it("writes a PRIMARY and a SECONDARY CNAME for the name, each tied to its own health check", () => {
    const checks = resourcesOf(doc, "aws_route53_health_check");
    const records = configsOf(doc, "aws_route53_record");
    expect(records.map((r) => [r.set_identifier, r.failover_routing_policy.type, r.records[0]])).toEqual([
      ["primary", "PRIMARY", "origin-us-east-1.test.aivo.edu"],
      ["secondary", "SECONDARY", "origin-us-west-2.test.aivo.edu"],
    ]);
    for (const record of records) {
      expect(record).toEqual(expect.objectContaining({ zone_id: "Z123", name: "origin.test.aivo.edu", type: "CNAME", ttl: 30 }));
      const check = checks[/^\$\{aws_route53_health_check\.([\w-]+)\.id\}$/.exec(record.health_check_id)![1]];
      expect(check).toEqual(
        expect.objectContaining({
          type: "HTTPS",
          fqdn: record.records[0],
          port: 443,
          resource_path: "/ready",
          request_interval: 30,
          failure_threshold: 2,
          enable_sni: true,
        }),
      );
    }
  });

  it("defaults to a 10 s interval, 3 failures, /healthz/ready and a 60 s TTL, and names errors under <env>.dr.traffic", () => {
    const defaults = synth();
    expect(configsOf(defaults, "aws_route53_health_check").map((c) => [c.request_interval, c.failure_threshold, c.resource_path])).toEqual([
      [10, 3, "/healthz/ready"],
      [10, 3, "/healthz/ready"],
    ]);
    expect(configsOf(defaults, "aws_route53_record").map((r) => r.ttl)).toEqual([60, 60]);
    expect(() => synth({ ttlSeconds: 0 })).toThrow("test.dr.traffic.ttlSeconds: 0 is outside 1-300");
  });

  it.each<[string, Partial<FailoverRecordsProps>, string]>([
    ["a target equal to the name", { primaryTarget: "origin.test.aivo.edu" }, 'x.primaryTarget: "origin.test.aivo.edu" is the failover name itself'],
    ["a threshold above 10", { healthCheckFailureThreshold: 11 }, "x.healthCheckFailureThreshold: 11 is outside 1-10"],
    ["identical targets", { secondaryTarget: "origin-us-east-1.test.aivo.edu" }, 'x.secondaryTarget: "origin-us-east-1.test.aivo.edu" equals primaryTarget; the DR side needs its own origin name'],
    ["a malformed target", { primaryTarget: "Origin_East" }, 'x.primaryTarget: "Origin_East" is not a lower-case DNS name'],
    ["an interval Route 53 does not offer", { healthCheckIntervalSeconds: 20 }, "x.healthCheckIntervalSeconds: 20 is not a Route 53 interval; use 10 or 30"],
    ["a path without a leading slash", { healthCheckPath: "healthz" }, 'x.healthCheckPath: "healthz" is not a health-check path'],
  ])("rejects %s", (_what, props, message) => {
    expect(() => synth({ ...props, configPath: "x" })).toThrow(message);
  });
});
