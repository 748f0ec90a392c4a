// Keeps one part of `npm start` running (web, gateway, embedded PostgreSQL): when it exits
// unexpectedly it is started again after a growing delay, with a log line; when it keeps
// exiting (a crash loop) the supervisor gives up with a clear message and npm start stops.

export type Runner = {
  /** Resolves with a reason when the process exits on its own; never after stop(). */
  exited: Promise<string>;
  stop: () => Promise<void>;
};

export type SuperviseOptions = {
  name: string;
  start: () => Promise<Runner>;
  log?: (line: string) => void;
  /** Restarts allowed within `windowMs` before giving up. */
  maxRestarts?: number;
  windowMs?: number;
};

export type Supervised = { gaveUp: Promise<string>; stop: () => Promise<void> };

const never = () => new Promise<never>(() => {});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Delay before the n-th restart within the window: 1 s, 2 s, 4 s, 8 s, then 15 s. */
export const backoffMs = (n: number) => Math.min(1000 * 2 ** (n - 1), 15_000);

export function supervise(first: Runner, opts: SuperviseOptions): Supervised {
  const { name, maxRestarts = 5, windowMs = 60_000 } = opts;
  const log = opts.log ?? ((line: string) => console.error(line));
  let current: Runner | null = first;
  let starting: Promise<Runner> | null = null;
  let stopping = false;
  const restarts: number[] = [];

  const loop = async (): Promise<string> => {
    for (;;) {
      const why = await current!.exited;
      current = null;
      if (stopping) return never();
      const now = Date.now();
      while (restarts.length && now - restarts[0] > windowMs) restarts.shift();
      restarts.push(now);
      if (restarts.length > maxRestarts) {
        return `${why}: ${name} exited ${maxRestarts + 1} times within ${windowMs / 1000}s; giving up and stopping Keygate.`;
      }
      const delay = backoffMs(restarts.length);
      log(`[keygate] ${new Date().toISOString()} ${why}; restarting ${name} in ${delay / 1000}s (restart ${restarts.length} of at most ${maxRestarts} per ${windowMs / 1000}s)`);
      await sleep(delay);
      if (stopping) return never();
      starting = opts.start();
      try {
        current = await starting;
        log(`[keygate] ${new Date().toISOString()} ${name} restarted`);
      } catch (err) {
        const reason = `${name} did not start (${err instanceof Error ? err.message.split("\n")[0] : String(err)})`;
        current = { exited: Promise.resolve(reason), stop: async () => {} };
      } finally {
        starting = null;
      }
      if (stopping) {
        await current.stop();
        return never();
      }
    }
  };

  return {
    gaveUp: loop(),
    stop: async () => {
      stopping = true;
      await starting?.then((r) => r.stop(), () => {});
      await current?.stop();
    },
  };
}
