import { existsSync, readFileSync, readdirSync } from "fs";
import { dirname, join, relative, resolve } from "path";
import { ENVIRONMENTS } from "../environments";
import { EnvironmentConfig } from "../environments/types";

const root = join(__dirname, "..");
const MARKDOWN = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const text = (file: string) => readFileSync(join(root, file), "utf8");

/** Lines outside fenced code blocks. */
function prose(markdown: string): string[] {
  let fenced = false;
  return markdown.split("\n").filter((line) => {
    if (line.startsWith("```")) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens; repeats get -1, -2 … */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of prose(markdown)) {
    const m = /^#{1,6}\s+(.*?)\s*#*$/.exec(line);
    if (!m) continue;
    const slug = m[1]
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Every `[text](target)` link of the file's prose whose target is in this repository. */
function localLinks(file: string): { target: string; anchor?: string }[] {
  const links: { target: string; anchor?: string }[] = [];
  for (const line of prose(text(file))) {
    for (const m of line.replace(/`[^`]*`/g, "").matchAll(/\]\(([^)\s]+)\)/g)) {
      const href = m[1];
      if (/^[a-z]+:/i.test(href)) continue; // https:, mailto:
      const [path, anchor] = href.split("#");
      links.push({ target: path === "" ? file : relative(root, resolve(dirname(join(root, file)), path)), anchor });
    }
  }
  return links;
}

describe("the documentation", () => {
  it.each(MARKDOWN)("%s links only to files and headings that exist", (file) => {
    const broken = localLinks(file).filter(({ target, anchor }) => {
      if (!existsSync(join(root, target))) return true;
      return anchor !== undefined && target.endsWith(".md") && !anchorsOf(text(target)).has(anchor);
    });
    expect(broken.map(({ target, anchor }) => `${target}${anchor ? `#${anchor}` : ""}`)).toEqual([]);
  });

  it("reads the anchors GitHub writes", () => {
    expect([...anchorsOf("# A `b` (c), d/e\n## Failing over to us-west-2\n## Same\n## Same\n```\n# not a heading\n```")]).toEqual([
      "a-b-c-de",
      "failing-over-to-us-west-2",
      "same",
      "same-1",
    ]);
  });

  it("keeps the README a guide: under 400 lines, with a table of contents whose entries exist", () => {
    const readme = text("README.md");
    expect(readme.split("\n").length).toBeLessThan(400);
    const contents = readme.slice(readme.indexOf("## Contents"), readme.indexOf("\n## ", readme.indexOf("## Contents") + 1));
    const entries = [...contents.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(entries.length).toBeGreaterThan(3);
    expect(entries.filter((a) => !anchorsOf(readme).has(a))).toEqual([]);
  });

  it("lists every module folder in the catalogue by layer (docs/modules.md)", () => {
    /** Folders under modules/ with an index.ts and no module above them (guardrails/rules is part of guardrails). */
    const modules = (dir: string, insideModule: boolean): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .flatMap((e) => {
          const path = `${dir}/${e.name}`;
          const isModule = !insideModule && existsSync(join(root, path, "index.ts"));
          return [...(isModule ? [path] : []), ...modules(path, insideModule || isModule)];
        });
    const found = modules("modules", false);
    expect(found.length).toBeGreaterThan(50);
    const catalogue = text("docs/modules.md");
    expect(found.filter((m) => !catalogue.includes(`\`${m}\``))).toEqual([]);
  });

  it("names the Terraform release .terraform-version pins", () => {
    const pinned = text(".terraform-version").trim();
    for (const file of MARKDOWN) {
      const named = [...text(file).matchAll(/\*\*(\d+\.\d+\.\d+)\*\*|\((\d+\.\d+\.\d+)\) on `PATH`/g)].map((m) => m[1] ?? m[2]);
      expect([file, named.filter((v) => v !== pinned)]).toEqual([file, []]);
    }
  });

  it("points at nothing outside the repository as if it were in it (the specs are not in shared/seeds/)", () => {
    for (const file of MARKDOWN) expect([file, /shared\/seeds/.test(text(file))]).toEqual([file, false]);
  });
});

/** The first table after `heading` in `file`, as its cells by row label and environment name. */
function environmentTable(file: string, heading: string): { columns: string[]; rows: Map<string, string[]> } {
  const markdown = text(file);
  const section = markdown.slice(markdown.indexOf(`\n${heading}\n`) + 1);
  const lines = section.split("\n\n").find((block) => block.startsWith("|"))!.split("\n");
  const cells = (line: string) => line.split("|").slice(1, -1).map((c) => c.trim());
  const columns = cells(lines[0]).slice(1);
  const rows = new Map(lines.slice(2).map((l) => [cells(l)[0], cells(l).slice(1)] as [string, string[]]));
  return { columns, rows };
}

/** What the README's table must say of an environment, from its config. */
function expectedCells(c: EnvironmentConfig): Record<string, string> {
  const domain = [c.edge.domain, ...(c.edge.additionalSubdomains ?? [])].join(" + ");
  return {
    tier: c.tier,
    "region (DR)": c.drRegion ? `${c.region} (DR ${c.drRegion})` : c.region,
    "VPC / pods": `${c.network.vpcCidr} / ${c.network.podNetwork?.cidr ?? "—"}`,
    "NAT gateways": c.network.natGateways === "single" ? "single" : "one per AZ",
    domain,
    "API access": c.kubernetes.apiAccess === "public-allowlist" ? "public endpoint, allowlist" : "private endpoint only",
    "monthly budget": `$${c.cost.monthlyBudgetUsd.toLocaleString("en-US")}`,
    "log retention": `${c.logRetentionDays} days`,
    VPC: c.network.vpcCidr,
    "WAF rate limit per IP (5 min)": c.waf.rateLimitPerIp.toLocaleString("en-US"),
    "EKS node groups general / spot / memory (min-desired-max)": ["general", "spot", "memory"]
      .map((g) => c.eks.nodeGroups?.[g])
      .map((g) => (g ? `${g.minSize}-${g.desiredSize}-${g.maxSize}` : "—"))
      .join(" / "),
    "RDS backups / AWS Backup (every 4 h)": `${c.database.backupRetentionDays} d / ${c.backup.retentionDays} d${c.backup.drCopy ? ` + copy to ${c.drRegion}` : ""}`,
    "X-Ray sampling (per s + rate)": c.tracing.samplingRules.map((r) => `${r.reservoirSize} + ${Math.round(r.fixedRate * 100)} %`).join(", "),
  };
}

describe.each([
  ["README.md", "## Environments"],
  ["docs/environments.md", "## The environments"],
])("the environments table of %s", (file, heading) => {
  const { columns, rows } = environmentTable(file, heading);

  it("names only configured environments, in ENVIRONMENTS order", () => {
    const names = ENVIRONMENTS.map((e) => e.name);
    expect(columns.filter((c) => !names.includes(c))).toEqual([]);
    expect(columns).toEqual(names.filter((n) => columns.includes(n)));
  });

  it("says what each environment's config says (the figures cannot go stale)", () => {
    expect(rows.size).toBeGreaterThan(5);
    const wrong: string[] = [];
    columns.forEach((name, i) => {
      const config = ENVIRONMENTS.find((e) => e.name === name)!;
      for (const [row, value] of Object.entries(expectedCells(config))) {
        if (!rows.has(row)) continue;
        const cell = rows.get(row)![i];
        if (cell !== value) wrong.push(`${name} / ${row}: ${file} says "${cell}", the config "${value}"`);
      }
    });
    expect(wrong).toEqual([]);
  });
});
