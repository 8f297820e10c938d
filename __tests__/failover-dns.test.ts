import { Testing } from "cdktf";
import { FailoverRecords, FailoverRecordsProps, GeolocationSettings, failoverNameFor } from "../modules/aws/network/failover-dns";
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

describe("FailoverRecords with geolocation answers", () => {
  const geolocation = { answers: [{ continent: "EU" as const, target: "origin-eu-west-1.test.aivo.edu" }, { country: "JP", target: "origin-ap-northeast-1.test.aivo.edu" }] };
  const doc = synth({ geolocation });
  const records = configsOf(doc, "aws_route53_record");

  it("is off by default: only the failover pair, under the public name", () => {
    const plain = configsOf(synth(), "aws_route53_record");
    expect(plain.map((r) => [r.name, r.set_identifier])).toEqual([
      ["origin.test.aivo.edu", "primary"],
      ["origin.test.aivo.edu", "secondary"],
    ]);
    expect(plain.some((r) => r.geolocation_routing_policy)).toBe(false);
  });

  it("answers listed locations with their regional origin, health-checked, and everyone else with the failover pair", () => {
    const geo = records.filter((r) => r.geolocation_routing_policy);
    expect(geo.map((r) => [r.set_identifier, r.geolocation_routing_policy, r.records[0]])).toEqual(
      expect.arrayContaining([
        ["geo-continent-eu", { continent: "EU" }, "origin-eu-west-1.test.aivo.edu"],
        ["geo-country-jp", { country: "JP" }, "origin-ap-northeast-1.test.aivo.edu"],
        ["geo-default", { country: "*" }, "origin-failover.test.aivo.edu"],
      ]),
    );
    expect(geo).toHaveLength(3);
    for (const r of geo) expect(r).toMatchObject({ name: "origin.test.aivo.edu", type: "CNAME", zone_id: "Z123" });
    const checks = Object.values(resourcesOf(doc, "aws_route53_health_check")).map((c) => c.fqdn);
    expect(checks).toEqual(expect.arrayContaining(["origin-eu-west-1.test.aivo.edu", "origin-ap-northeast-1.test.aivo.edu"]));
    expect(geo.find((r) => r.set_identifier === "geo-default")!.health_check_id).toBeUndefined();
  });

  it("moves the failover pair to its own name, since Route 53 allows one routing policy per name", () => {
    const pair = records.filter((r) => r.failover_routing_policy);
    expect(pair.map((r) => r.name)).toEqual(["origin-failover.test.aivo.edu", "origin-failover.test.aivo.edu"]);
    expect(failoverNameFor("origin.aivo.edu")).toBe("origin-failover.aivo.edu");
  });

  it.each<[string, GeolocationSettings, string]>([
    ["an empty answer set", { answers: [] }, "x.geolocation.answers: empty"],
    ["both continent and country", { answers: [{ continent: "EU", country: "DE", target: "origin-eu.test.aivo.edu" }] }, "x.geolocation.answers[0]: give exactly one of continent and country"],
    ["neither continent nor country", { answers: [{ target: "origin-eu.test.aivo.edu" }] }, "x.geolocation.answers[0]: give exactly one of continent and country"],
    ["an unknown continent", { answers: [{ continent: "EA" as never, target: "origin-eu.test.aivo.edu" }] }, 'x.geolocation.answers[0].continent: "EA" is not a Route 53 continent code; use one of AF, AN, AS, EU, NA, OC, SA'],
    ["an unknown country", { answers: [{ country: "XX", target: "origin-eu.test.aivo.edu" }] }, 'x.geolocation.answers[0].country: "XX" is not an ISO 3166-1 alpha-2 country code'],
    ["a lower-case country", { answers: [{ country: "de", target: "origin-eu.test.aivo.edu" }] }, 'x.geolocation.answers[0].country: "de" is not an ISO 3166-1 alpha-2 country code'],
    ["the default location", { answers: [{ country: "*", target: "origin-eu.test.aivo.edu" }] }, 'x.geolocation.answers[0].country: "*" is the default location, which always answers with the failover pair'],
    ["a repeated location", { answers: [{ continent: "EU", target: "a.test.aivo.edu" }, { continent: "EU", target: "b.test.aivo.edu" }] }, 'x.geolocation.answers[1].continent: "EU" is also answers[0]'],
    ["a malformed target", { answers: [{ continent: "EU", target: "Origin_EU" }] }, 'x.geolocation.answers[0].target: "Origin_EU" is not a lower-case DNS name'],
    ["the routed name as target", { answers: [{ continent: "EU", target: "origin.test.aivo.edu" }] }, 'x.geolocation.answers[0].target: "origin.test.aivo.edu" is the routed name itself'],
  ])("rejects %s", (_what, geo, message) => {
    expect(() => synth({ geolocation: geo, configPath: "x" })).toThrow(message);
  });
});
