// `keygate <command>`: the operator CLI (bin/keygate.mjs runs this). Exit codes: 0 ok,
// 1 failure, 2 usage error. Every command answers --help.
import { readFileSync } from "node:fs";
import { ZodError } from "zod";
import { AppError } from "../lib/errors";
import { SealingError } from "../lib/keys/sealing";
import { type Command, CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, out, parseCommandArgs, renderCommandHelp, UsageError } from "./command";
import { runCleanups } from "./context";
import { bucketAdoptCommand } from "./bucket-adopt";
import { bucketCreateCommand, bucketDeleteCommand, bucketListCommand } from "./bucket";
import { doctorCommand } from "./doctor";
import { eventsPurgeCommand } from "./events-purge";
import { keyCreateCommand } from "./key-create";
import { keyDisableCommand, keyEnableCommand } from "./key-disable";
import { keyImportCommand } from "./key-import";
import { keyRevokeCommand } from "./key-revoke";
import { keyListCommand, orgListCommand, projectListCommand } from "./list";
import { memberAddCommand, memberRemoveCommand, memberRoleCommand } from "./member";
import { orgCreateCommand } from "./org-create";
import { orgDeleteCommand } from "./org-delete";
import { projectCreateCommand, projectDeleteCommand, projectRenameCommand } from "./project";
import { sealingPruneCommand, sealingStatusCommand } from "./sealing-status";
import { sealingRotateCommand } from "./sealing-rotate";
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from "./token";

const COMMANDS: Command[] = [
  orgCreateCommand, orgListCommand, projectListCommand, keyListCommand, keyCreateCommand, keyImportCommand, keyRevokeCommand, keyDisableCommand, keyEnableCommand,
  orgDeleteCommand, projectCreateCommand, projectRenameCommand, projectDeleteCommand, bucketCreateCommand, bucketListCommand, bucketDeleteCommand,
  memberAddCommand, memberRoleCommand, memberRemoveCommand, tokenCreateCommand, tokenListCommand, tokenRevokeCommand,
  bucketAdoptCommand, sealingStatusCommand, sealingRotateCommand, sealingPruneCommand, eventsPurgeCommand, doctorCommand,
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    "Usage: keygate <command> [options]",
    "",
    "Operator commands for Keygate. They use the same configuration as `npm start` (./.env and the",
    "environment): DATABASE_URL, or the embedded PostgreSQL in KEYGATE_DATA_DIR, and the sealing keys",
    "from KEYGATE_SEALING_KEYS or KEYGATE_DATA_DIR/sealing-keys.",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "Run `keygate <command> --help` for a command's options.",
    "Exit codes: 0 success, 1 failure, 2 usage error.",
    "",
  ].join("\n");
}

/** The command named by the leading words of argv, and the arguments after them. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  for (const command of COMMANDS) {
    const words = command.name.split(" ");
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
  }
  return null;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

async function run(argv: string[]): Promise<number> {
  if (argv.length === 0) {
    process.stderr.write(mainHelp());
    return EXIT_USAGE;
  }
  if (argv[0] === "--help" || argv[0] === "-h" || (argv[0] === "help" && argv.length === 1)) {
    out.line(mainHelp().trimEnd());
    return EXIT_OK;
  }
  if (argv[0] === "--version" || argv[0] === "-v") {
    out.line(version());
    return EXIT_OK;
  }
  const helpFor = argv[0] === "help" ? argv.slice(1) : null;
  const found = findCommand(helpFor ?? argv);
  if (!found) {
    const group = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `));
    const wantsHelp = argv.includes("--help") || argv.includes("-h") || helpFor !== null;
    if (group.length && (argv.length === 1 || wantsHelp)) {
      const text = [`Usage: keygate ${argv[0]} <command> [options]`, "", "Commands:", ...group.map((c) => `  keygate ${c.name.padEnd(20)}${c.summary}`), ""].join("\n");
      if (wantsHelp) out.line(text);
      else process.stderr.write(text);
      return wantsHelp ? EXIT_OK : EXIT_USAGE;
    }
    throw new UsageError(`Unknown command "${(helpFor ?? argv).filter((a) => !a.startsWith("-")).slice(0, 2).join(" ")}".`);
  }
  if (helpFor) {
    out.line(renderCommandHelp(found.command).trimEnd());
    return EXIT_OK;
  }
  const input = parseCommandArgs(found.command, found.rest);
  if (input.help) {
    out.line(renderCommandHelp(found.command).trimEnd());
    return EXIT_OK;
  }
  return (await found.command.run(input)) ?? EXIT_OK;
}

/** Maps every failure to one readable message and an exit code; stack traces only with KEYGATE_DEBUG. */
function report(err: unknown, argv: string[]): number {
  const say = (text: string) => process.stderr.write(`keygate: ${text}\n`);
  if (err instanceof UsageError) {
    say(err.message);
    const found = findCommand(argv);
    process.stderr.write(`Run \`keygate ${found ? `${found.command.name} ` : ""}--help\` for usage.\n`);
    return EXIT_USAGE;
  }
  if (err instanceof ZodError) {
    say("invalid input:");
    for (const issue of err.issues) process.stderr.write(`  ${issue.path.join(".") || "value"}: ${issue.message}\n`);
    return EXIT_USAGE;
  }
  if (err instanceof AppError) {
    say(err.message);
    for (const [field, messages] of Object.entries(err.fieldErrors ?? {})) process.stderr.write(`  ${field}: ${messages.join(" ")}\n`);
    return err.status === 400 ? EXIT_USAGE : EXIT_FAILURE;
  }
  if (err instanceof CliError || err instanceof SealingError) {
    say(err.message);
    return EXIT_FAILURE;
  }
  say(`unexpected error: ${err instanceof Error ? err.message : String(err)}`);
  if (process.env.KEYGATE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return EXIT_FAILURE;
}

// Ctrl-C / SIGTERM: release the database and stop an embedded server this command started. An
// interrupted batch is rolled back by PostgreSQL; everything committed before it stays.
let interrupted = false;
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(code);
    interrupted = true;
    process.stderr.write(`\nkeygate: interrupted (${signal}); cleaning up…\n`);
    void runCleanups().finally(() => process.exit(code));
  });
}

const argv = process.argv.slice(2);
const code = await run(argv).catch((err: unknown) => report(err, argv));
await runCleanups();
// Exit explicitly (a stray timer or socket must not keep the CLI alive), once stdout is flushed.
await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
process.exit(code);
