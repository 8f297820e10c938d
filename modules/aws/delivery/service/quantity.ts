/**
 * Kubernetes resource quantities (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/),
 * the subset services use: CPU in cores or millicores, memory with a binary or decimal suffix.
 */

const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const MEMORY_FACTORS: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** Millicores of a CPU quantity (`250m` → 250, `1.5` → 1500); undefined when it is not one. */
export function parseCpu(quantity: string): number | undefined {
  const match = CPU.exec(quantity);
  if (!match) return undefined;
  const value = Number(match[1]);
  return match[2] === "m" ? value : value * 1000;
}

/** Bytes of a memory quantity (`256Mi` → 268435456, `1G` → 1e9); undefined when it is not one. */
export function parseMemory(quantity: string): number | undefined {
  const match = MEMORY.exec(quantity);
  if (!match) return undefined;
  return Number(match[1]) * MEMORY_FACTORS[match[2] ?? ""];
}
