import { Text } from "@react-email/components";
import { ActionButton, EmailLayout, Fact, formatDateTime, oneLine, styles, unlinkable } from "../lib/email/layout";

/** A key's secret was reported public by GitHub secret scanning. Never carries the secret. */
export type KeyLeakedEmailProps = {
  keyName: string;
  accessKeyId: string;
  project: string;
  /** Where GitHub found it (may be empty); shown as text, never as a link. */
  foundAt: string;
  reportedAt: Date | string;
  /** What Keygate did: "disabled", "revoked", or "none" (the key no longer worked anyway). */
  action: "disabled" | "revoked" | "none";
  keyUrl: string;
};

export function keyLeakedSubject(props: Pick<KeyLeakedEmailProps, "keyName" | "action">): string {
  const done = props.action === "none" ? "" : ` and was ${props.action}`;
  return oneLine(`The secret of access key "${unlinkable(props.keyName)}" was found in public${done}`);
}

export default function KeyLeakedEmail(props: KeyLeakedEmailProps) {
  const { accessKeyId, reportedAt, action, keyUrl } = props;
  const [keyName, project] = [props.keyName, props.project].map(unlinkable);
  const consequence = action === "disabled"
    ? "Keygate disabled the key: every request signed with it is refused. Rotate its secret, update the applications that use it, then enable it again."
    : action === "revoked"
      ? "Keygate revoked the key: every request signed with it is refused from now on. Create a new key for the applications that used it."
      : "The key no longer worked, so nothing was changed.";
  return (
    <EmailLayout
      preview={`The secret of "${keyName}" in ${project} was found in public`}
      heading="An access key's secret was found in public"
      footer={<Text style={styles.muted}>You receive this because you own this key or administer its organization in Keygate.</Text>}
    >
      <Text style={styles.text}>
        GitHub secret scanning found the secret access key of <strong>{keyName}</strong> in the project <strong>{project}</strong> in
        a public place. Anyone could have copied it.
      </Text>
      <Fact label="Key" value={keyName} />
      <Fact label="Access key id" value={accessKeyId} />
      <Fact label="Found at" value={props.foundAt ? unlinkable(props.foundAt) : "not given"} />
      <Fact label="Reported" value={formatDateTime(reportedAt)} />
      <Text style={{ ...styles.text, margin: "16px 0 0" }}>{consequence} Review the key's events for requests you do not recognize.</Text>
      <ActionButton href={keyUrl} label="Review the key" />
    </EmailLayout>
  );
}

KeyLeakedEmail.PreviewProps = {
  keyName: "ci-uploader",
  accessKeyId: "KGABCDEFGHIJKLMNOPQR",
  project: "website-assets",
  foundAt: "https://github.com/example/repo/blob/abc123/.env",
  reportedAt: new Date("2025-07-08T12:00:00Z"),
  action: "disabled",
  keyUrl: "https://keygate.example.com/orgs/o1/keys/k1",
} satisfies KeyLeakedEmailProps;
