// Fuzz cases for the Object Lock operations (gateway-fuzz.test.ts runs them with the others):
// malformed Retention, LegalHold and ObjectLockConfiguration documents and lock headers, each
// correctly signed so the malformed part is the only fault. Every one must get a 4xx S3 error.
import { createHash } from "node:crypto";
import { type Creds, putObject, signedHead } from "./gateway-fuzz-requests";
import { type RawAnswer, rawRequest } from "./gateway-process";

type Case = { name: string; run: () => Promise<RawAnswer>; expect: Array<number | null> };

export function lockCases(port: number, creds: Creds, bucket: string): Case[] {
  const md5 = (b: Buffer) => createHash("md5").update(b).digest("base64");
  /** A PUT of `xml` to `path` with a correct Content-MD5 (so the XML parser is what answers). */
  const putXml = (path: string, xml: string, withMd5 = true) => () => {
    const body = Buffer.from(xml, "latin1");
    return putObject(port, creds, path, body, withMd5 ? { "content-md5": md5(body) } : {});
  };
  const retention = `/${bucket}/lock-target?retention`;
  const hold = `/${bucket}/lock-target?legal-hold`;
  const config = `/${bucket}?object-lock`;
  const small = Buffer.from("hello");
  const putWith = (headers: Record<string, string>) => () => putObject(port, creds, `/${bucket}/locked-put`, small, { "content-md5": md5(small), ...headers });
  const get = (path: string) => async () => rawRequest(port, (await signedHead(port, creds, "GET", path, {}, "UNSIGNED-PAYLOAD")).head);
  return [
    { name: "lock: Retention unclosed", run: putXml(retention, "<Retention><Mode>GOVERNANCE</Mode>"), expect: [400] },
    { name: "lock: Retention unknown mode", run: putXml(retention, "<Retention><Mode>FOREVER</Mode><RetainUntilDate>2099-01-01T00:00:00Z</RetainUntilDate></Retention>"), expect: [400] },
    { name: "lock: Retention garbage date", run: putXml(retention, "<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>tomorrow</RetainUntilDate></Retention>"), expect: [400] },
    { name: "lock: Retention year 99999", run: putXml(retention, "<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>99999-01-01T00:00:00Z</RetainUntilDate></Retention>"), expect: [400] },
    { name: "lock: Retention mode without date", run: putXml(retention, "<Retention><Mode>COMPLIANCE</Mode></Retention>"), expect: [400] },
    { name: "lock: Retention nested mode", run: putXml(retention, "<Retention><Mode><a>x</a></Mode><RetainUntilDate>2099-01-01T00:00:00Z</RetainUntilDate></Retention>"), expect: [400] },
    { name: "lock: Retention 120,000 nested elements", run: putXml(retention, `${"<a>".repeat(120_000)}${"</a>".repeat(120_000)}`), expect: [400] },
    { name: "lock: Retention without Content-MD5", run: putXml(retention, "<Retention/>", false), expect: [400] },
    { name: "lock: LegalHold status MAYBE", run: putXml(hold, "<LegalHold><Status>MAYBE</Status></LegalHold>"), expect: [400] },
    { name: "lock: LegalHold empty body", run: putXml(hold, ""), expect: [400] },
    { name: "lock: LegalHold DOCTYPE entity", run: putXml(hold, '<!DOCTYPE d [<!ENTITY x "ON">]><LegalHold><Status>&x;</Status></LegalHold>'), expect: [400] },
    { name: "lock: configuration Days -1", run: putXml(config, "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>-1</Days></DefaultRetention></Rule></ObjectLockConfiguration>"), expect: [400] },
    { name: "lock: configuration Days and Years", run: putXml(config, "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days><Years>1</Years></DefaultRetention></Rule></ObjectLockConfiguration>"), expect: [400] },
    { name: "lock: configuration Days 10^30", run: putXml(config, `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1${"0".repeat(30)}</Days></DefaultRetention></Rule></ObjectLockConfiguration>`), expect: [400] },
    { name: "lock: configuration disabled", run: putXml(config, "<ObjectLockConfiguration><ObjectLockEnabled>Disabled</ObjectLockEnabled></ObjectLockConfiguration>"), expect: [400] },
    { name: "lock: PUT header mode BOGUS", run: putWith({ "x-amz-object-lock-mode": "BOGUS", "x-amz-object-lock-retain-until-date": "2099-01-01T00:00:00Z" }), expect: [400] },
    { name: "lock: PUT header date garbage", run: putWith({ "x-amz-object-lock-mode": "GOVERNANCE", "x-amz-object-lock-retain-until-date": "2099-13-45T99:99:99Z" }), expect: [400] },
    { name: "lock: PUT header legal hold maybe", run: putWith({ "x-amz-object-lock-legal-hold": "maybe" }), expect: [400] },
    { name: "lock: CreateBucket lock header garbage", run: () => putObject(port, creds, "/fuzz-lock-bucket", Buffer.alloc(0), { "x-amz-bucket-object-lock-enabled": "yes please" }), expect: [400] },
    { name: "lock: GET ?retention bad versionId", run: get(`/${bucket}/lock-target?retention&versionId=..%2F..`), expect: [400] },
    { name: "lock: ?retention on a bucket", run: get(`/${bucket}?retention`), expect: [501] },
  ];
}
