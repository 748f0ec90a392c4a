// The shape of a CLI command, its argument parsing (node:util parseArgs, strict) and its help
// text. Exit codes: 0 ok, 1 failure, 2 usage error.
import { parseArgs } from "node:util";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Bad flags or arguments: printed with a pointer to --help, exit 2. */
export class UsageError extends Error {
  readonly name = "UsageError";
}

/** A deliberate, explained failure: printed as is, exit 1. */
export class CliError extends Error {
  readonly name = "CliError";
}

type OptionSpec = { type: "string" | "boolean"; short?: string; value?: string; description: string };
export type Values = Record<string, string | boolean | undefined>;
export type CommandInput = { values: Values; positionals: string[] };

export type Command = {
  /** Words after `keygate`, e.g. "key create". */
  name: string;
  summary: string;
  /** Arguments after the command name, for the usage line. */
  usage: string;
  /** Paragraphs printed under the usage line. */
  description?: string;
  options: Record<string, OptionSpec>;
  positionals?: { min: number; max: number };
  examples?: string[];
  run: (input: CommandInput) => Promise<number | void>;
};

export const jsonOption: OptionSpec = { type: "boolean", description: "Print one JSON document on stdout (for scripts)" };

/** Parses a command's arguments; unknown flags, missing values and extra arguments are usage errors. */
export function parseCommandArgs(command: Command, argv: string[]): CommandInput & { help: boolean } {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = { help: { type: "boolean", short: "h" } };
  for (const [name, spec] of Object.entries(command.options)) options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, "."));
  }
  const values = parsed.values as Values;
  if (values.help) return { values, positionals: parsed.positionals, help: true };
  const { min, max } = command.positionals ?? { min: 0, max: 0 };
  if (parsed.positionals.length > max) throw new UsageError(`Unexpected argument "${parsed.positionals[max]}".`);
  if (parsed.positionals.length < min) throw new UsageError(`Missing argument. Usage: keygate ${command.name} ${command.usage}`);
  return { values, positionals: parsed.positionals, help: false };
}

export function renderCommandHelp(command: Command): string {
  const rows: [string, string][] = Object.entries(command.options).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : ""}--${name}${spec.type === "string" ? ` <${spec.value ?? "value"}>` : ""}`,
    spec.description,
  ]);
  rows.push(["-h, --help", "Show this help"]);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const lines = [`Usage: keygate ${command.name}${command.usage ? ` ${command.usage}` : ""}`, "", command.summary];
  if (command.description) lines.push("", command.description.trim());
  lines.push("", "Options:", ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`));
  if (command.examples?.length) lines.push("", "Examples:", ...command.examples.map((e) => `  ${e}`));
  return lines.join("\n") + "\n";
}

export function stringValue(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

export function requireString(values: Values, name: string): string {
  const v = stringValue(values, name)?.trim();
  if (!v) throw new UsageError(`--${name} is required.`);
  return v;
}

export function intValue(values: Values, name: string, range: { min: number; max: number; fallback?: number }): number | undefined {
  const raw = stringValue(values, name);
  if (raw === undefined) return range.fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < range.min || n > range.max) {
    throw new UsageError(`--${name} must be a whole number from ${range.min} to ${range.max}.`);
  }
  return n;
}

/** stdout carries results (or the --json document); notes and progress go to stderr. */
export const out = {
  line: (text = "") => void process.stdout.write(`${text}\n`),
  json: (value: unknown) => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  note: (text: string) => void process.stderr.write(`${text}\n`),
};
