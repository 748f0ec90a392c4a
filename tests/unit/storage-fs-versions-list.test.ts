// Versioned listings of the fs backend against an in-memory model of the same history: every
// page size (so markers land inside a key's versions, on delete markers and on null versions),
// more keys than one walk chunk or resolve batch holds, prefixes whose first keys are all
// deleted, and versions deleted between two listings of the same backend.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFsBackend, type FsBackend, type ListVersionsParams } from "../../lib/storage/index";
import { body } from "./storage-fs-helpers";

type Entry = { id: string; marker: boolean };
let root: string;
let b: FsBackend;
const model = new Map<string, Entry[]>(); // key -> versions, newest first
const BK = "model";

const put = async (key: string) => {
  const r = await b.putObject(BK, key, body(`${key} ${Math.random()}`), { userMetadata: {} });
  const list = (model.get(key) ?? []).filter((e) => r.versionId !== "null" || e.id !== "null");
  model.set(key, [{ id: r.versionId ?? "null", marker: false }, ...list]);
};
const del = async (key: string) => {
  const r = await b.deleteObject(BK, key);
  const list = (model.get(key) ?? []).filter((e) => r.versionId !== "null" || e.id !== "null");
  model.set(key, [{ id: r.versionId!, marker: true }, ...list]);
};
const byBytes = (a: string, c: string) => Buffer.compare(Buffer.from(a), Buffer.from(c));
const sortedKeys = () => [...model.keys()].filter((k) => model.get(k)!.length > 0).sort(byBytes);
const expectedVersions = (prefix = "") =>
  sortedKeys().filter((k) => k.startsWith(prefix)).flatMap((k) => model.get(k)!.map((e, i) => [k, e.id, i === 0, e.marker]));
const liveKeys = () => sortedKeys().filter((k) => !model.get(k)![0].marker);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "keygate-fs-vlist-"));
  b = createFsBackend(root);
  await b.createBucket(BK);
  for (const k of ["old/a", "old/b", "z"]) await put(k); // null versions from before versioning
  await b.putBucketVersioning(BK, "Enabled");
  // 40 keys under "dead/" whose latest is a delete marker, then one live key: more than the
  // first chunks of a liveness check hold.
  for (let i = 0; i < 40; i++) (await put(`dead/${String(i).padStart(2, "0")}`), await del(`dead/${String(i).padStart(2, "0")}`));
  await put("dead/zz-live");
  await put("gone/only");
  await del("gone/only");
  // 90 keys with 1 to 4 versions, some ending in a delete marker.
  for (let i = 0; i < 90; i++) {
    const key = `logs/${String(i % 3)}/e${String(i).padStart(3, "0")}`;
    for (let v = 0; v <= i % 4; v++) await put(key);
    if (i % 5 === 0) await del(key);
  }
  await put("old/a"); // a version over a null version
  await b.putBucketVersioning(BK, "Suspended");
  await put("old/b"); // replaces its null version
  await del("z"); // a null delete marker replaces z's null version
  await put("\u00e9t\u00e9"); // a key above ASCII
  await b.putBucketVersioning(BK, "Enabled");
  await put("\u00e9t\u00e9");
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

async function pageThrough(p: Omit<ListVersionsParams, "maxKeys">, maxKeys: number) {
  const seen: unknown[][] = [];
  const prefixes: string[] = [];
  let marker: { keyMarker?: string; versionIdMarker?: string } = {};
  for (let n = 0; n < 2000; n++) {
    const r = await b.listObjectVersions(BK, { ...p, maxKeys, ...marker });
    seen.push(...r.versions.map((v) => [v.key, v.versionId, v.isLatest, v.deleteMarker]));
    prefixes.push(...r.commonPrefixes);
    expect(r.versions.length + r.commonPrefixes.length).toBeLessThanOrEqual(maxKeys);
    if (!r.isTruncated) return { seen, prefixes };
    marker = { keyMarker: r.nextKeyMarker, versionIdMarker: r.nextVersionIdMarker };
  }
  throw new Error("listing did not end");
}

describe("ListObjectVersions against the model", () => {
  it("pages through every version in order with any page size", async () => {
    const all = expectedVersions();
    expect(all.length).toBeGreaterThan(300);
    for (const size of [1, 3, 7, 64, 1000]) expect((await pageThrough({}, size)).seen).toEqual(all);
    expect((await pageThrough({ prefix: "logs/1/" }, 5)).seen).toEqual(expectedVersions("logs/1/"));
  });

  it("resumes after any version-id-marker inside a key, the null version and delete markers too", async () => {
    const all = expectedVersions();
    for (const i of [0, 1, 5, 42, 43, 100, 177, all.length - 2]) {
      const [key, id] = all[i] as [string, string];
      const r = await b.listObjectVersions(BK, { keyMarker: key, versionIdMarker: id, maxKeys: 10 });
      expect(r.versions.map((v) => [v.key, v.versionId, v.isLatest, v.deleteMarker])).toEqual(all.slice(i + 1, i + 11));
    }
  });

  it("rolls up common prefixes with a delimiter, page after page", async () => {
    const { seen, prefixes } = await pageThrough({ delimiter: "/" }, 2);
    expect(prefixes).toEqual(["dead/", "gone/", "logs/", "old/"]);
    expect(seen.map((v) => v[0])).toEqual([...expectedVersions().map((v) => v[0] as string).filter((k) => !k.includes("/"))]);
  });
});

describe("ListObjects (latest versions) against the model", () => {
  it("lists exactly the keys whose latest version is not a delete marker, with any page size", async () => {
    for (const size of [1, 7, 1000]) {
      const keys: string[] = [];
      let after: string | undefined;
      for (let n = 0; n < 500; n++) {
        const r = await b.listObjects(BK, { maxKeys: size, after });
        keys.push(...r.objects.map((o) => o.key));
        if (!r.isTruncated) break;
        after = r.nextAfter;
      }
      expect(keys).toEqual(liveKeys());
    }
  });

  it("lists a common prefix only when a key under it is live, also behind many deleted keys", async () => {
    const r = await b.listObjects(BK, { delimiter: "/", maxKeys: 1000 });
    expect(r.commonPrefixes).toEqual(["dead/", "logs/", "old/"]); // gone/ holds only a deleted key
    expect(r.objects.map((o) => o.key)).toEqual(["\u00e9t\u00e9"]); // z's latest is the null delete marker
  });

  it("a version deleted after a listing is gone from the next one on the same backend", async () => {
    const key = "logs/2/e005";
    const before = await b.listObjectVersions(BK, { prefix: key, maxKeys: 1000 });
    const latest = before.versions[0];
    await b.deleteObject(BK, key, latest.versionId);
    model.set(key, model.get(key)!.slice(1));
    const after = await b.listObjectVersions(BK, { prefix: key, maxKeys: 1000 });
    expect(after.versions.map((v) => [v.key, v.versionId, v.isLatest, v.deleteMarker])).toEqual(expectedVersions(key));
    expect(after.versions[0].isLatest).toBe(true);
    expect((await b.listObjects(BK, { prefix: key, maxKeys: 10 })).objects.map((o) => [o.key, o.size])).toEqual(
      model.get(key)![0].marker ? [] : [[key, (await b.headObject(BK, key)).size]],
    );
  });
});
