/**
 * Geolocation answers for a failover name: users in a listed continent or country get their regional
 * origin; everyone else (Route 53's default location, `*`) gets the failover pair, so DR failover
 * still covers them. Route 53 allows one routing policy per name and type, so with geolocation on the
 * failover pair moves to its own name (`<label>-failover.<rest>`) and the geolocation set takes the
 * public name.
 */

import { isDomainName } from "../../edge/cloudfront";

/** Route 53's continent codes. */
export const CONTINENT_CODES = ["AF", "AN", "AS", "EU", "NA", "OC", "SA"] as const;
export type ContinentCode = (typeof CONTINENT_CODES)[number];

/** One location and the origin that answers for it. Give exactly one of `continent` and `country`. */
export interface GeolocationAnswer {
  /** A continent code (`CONTINENT_CODES`), e.g. `EU`. */
  readonly continent?: ContinentCode;
  /** An ISO 3166-1 alpha-2 country code, e.g. `DE`. A country answer wins over its continent's. */
  readonly country?: string;
  /** The regional origin for that location, e.g. `origin-eu-west-1.aivo.edu` (health-checked; unhealthy → the default). */
  readonly target: string;
}

/** Geolocation routing of the failover name (`dr.traffic.geolocation`). @default off */
export interface GeolocationSettings {
  /** The locations with their own origin; the default (`*`) record is always added and answers with the failover pair. */
  readonly answers: readonly GeolocationAnswer[];
}

/** `origin.aivo.edu` → `origin-failover.aivo.edu`: where the failover pair answers when geolocation takes the name. */
export function failoverNameFor(recordName: string): string {
  const dot = recordName.indexOf(".");
  return `${recordName.slice(0, dot)}-failover${recordName.slice(dot)}`;
}

/** `continent EU` / `country DE`, the location of an answer in words and as a set identifier part. */
export function locationOf(answer: GeolocationAnswer): { kind: "continent" | "country"; code: string } {
  return answer.continent !== undefined ? { kind: "continent", code: answer.continent } : { kind: "country", code: answer.country ?? "" };
}

/** ICU's region names, made on first use: building them costs ~10 ms, and most syntheses check no country. */
let regions: Intl.DisplayNames | undefined;

/** Whether `code` is an ISO 3166-1 alpha-2 country (by the ICU region names Node ships). */
function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) return false;
  regions ??= new Intl.DisplayNames(["en"], { type: "region" });
  const name = regions.of(code);
  return name !== undefined && name !== code && name !== "Unknown Region";
}

/** Throws `<path>.geolocation.…: …` for an answer set Route 53 would refuse or that would shadow the default. */
export function validateGeolocation(path: string, recordName: string, geo: GeolocationSettings): void {
  const at = `${path}.geolocation`;
  if (geo.answers.length === 0) {
    throw new Error(`${at}.answers: empty; list at least one continent or country with its origin, or remove geolocation`);
  }
  const seen = new Map<string, number>();
  geo.answers.forEach((answer, i) => {
    const where = `${at}.answers[${i}]`;
    if ((answer.continent === undefined) === (answer.country === undefined)) {
      throw new Error(`${where}: give exactly one of continent and country`);
    }
    if (answer.country === "*") {
      throw new Error(`${where}.country: "*" is the default location, which always answers with the failover pair; list only specific continents and countries`);
    }
    if (answer.continent !== undefined && !CONTINENT_CODES.includes(answer.continent)) {
      throw new Error(`${where}.continent: "${answer.continent}" is not a Route 53 continent code; use one of ${CONTINENT_CODES.join(", ")}`);
    }
    if (answer.country !== undefined && !isCountryCode(answer.country)) {
      throw new Error(`${where}.country: "${answer.country}" is not an ISO 3166-1 alpha-2 country code, e.g. DE or JP`);
    }
    if (!isDomainName(answer.target)) throw new Error(`${where}.target: "${answer.target}" is not a lower-case DNS name; use the region's origin, e.g. origin-eu-west-1.aivo.edu`);
    if (answer.target === recordName || answer.target === failoverNameFor(recordName)) {
      throw new Error(`${where}.target: "${answer.target}" is the routed name itself; use the region's own origin name`);
    }
    const { kind, code } = locationOf(answer);
    const key = `${kind}:${code}`;
    const first = seen.get(key);
    if (first !== undefined) throw new Error(`${where}.${kind}: "${code}" is also answers[${first}]; Route 53 takes one record per location`);
    seen.set(key, i);
  });
}
