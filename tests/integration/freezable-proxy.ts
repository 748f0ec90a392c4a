// A TCP proxy in front of the test PostgreSQL that can be frozen: while frozen it accepts
// connections and holds every byte in both directions, as a SIGSTOPped server looks to its
// clients, without stopping the database the other tests share. Thawed, it passes the held bytes on.
// freeze("replies") holds only what the server sends: queries run, their answers are lost on the way.
import net from "node:net";

export type FreezableProxy = { url: string; freeze: (only?: "replies") => void; thaw: () => void; close: () => Promise<void> };

export async function freezableProxy(databaseUrl: string): Promise<FreezableProxy> {
  const target = new URL(databaseUrl);
  let frozen = { queries: false, replies: false };
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const pass = (from: net.Socket, to: net.Socket, direction: keyof typeof frozen) =>
    from.on("data", (d: Buffer) => (frozen[direction] ? held.push(() => to.write(d)) : to.write(d)));
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => (client.destroy(), upstream.destroy(), sockets.delete(s)));
    }
    pass(client, upstream, "queries");
    pass(upstream, client, "replies");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(databaseUrl);
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    freeze: (only) => void (frozen = { queries: only !== "replies", replies: true }),
    thaw: () => {
      frozen = { queries: false, replies: false };
      for (const send of held.splice(0)) send();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
