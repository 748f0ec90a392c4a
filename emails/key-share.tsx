import { Fragment } from "react";
import { Text } from "@react-email/components";
import { ActionButton, EmailLayout, Fact, formatDateTime, oneLine, styles, unlinkable } from "../lib/email/layout";

/**
 * Only metadata and a one-time retrieval link. This email never carries the
 * secret access key (nor anything derived from it): the recipient reveals the
 * credentials by opening the link, which works once.
 */
export type KeyShareEmailProps = {
  sharerName: string;
  keyName: string;
  project: string;
  /** Optional note written by the sharer; rendered as escaped text. */
  message?: string | null;
  retrievalUrl: string;
  expiresAt: Date | string;
};

export function keyShareSubject(props: Pick<KeyShareEmailProps, "sharerName" | "keyName">): string {
  return oneLine(`${unlinkable(props.sharerName)} shared the access key "${unlinkable(props.keyName)}" with you`);
}

export default function KeyShareEmail(props: KeyShareEmailProps) {
  // Read only the known fields: anything else passed at runtime is ignored.
  const { retrievalUrl, expiresAt } = props;
  const [sharerName, keyName, project] = [props.sharerName, props.keyName, props.project].map(unlinkable);
  const message = props.message?.trim();
  return (
    <EmailLayout
      preview={`${sharerName} shared the access key "${keyName}" with you`}
      heading="An access key was shared with you"
      footer={
        <Text style={styles.muted}>
          Keygate never sends secret keys by email. If you were not expecting this, ignore this email and let{" "}
          {sharerName} know.
        </Text>
      }
    >
      <Text style={styles.text}>
        <strong>{sharerName}</strong> shared the S3 access key <strong>{keyName}</strong> from the project{" "}
        <strong>{project}</strong> with you.
      </Text>
      {message ? (
        <>
          <Text style={{ ...styles.muted, margin: "0 0 4px" }}>Message from {sharerName}:</Text>
          <Text style={styles.quote}>
            {message.split(/\r?\n/).map((line, i) => (
              <Fragment key={i}>
                {i > 0 ? <br /> : null}
                {line}
              </Fragment>
            ))}
          </Text>
        </>
      ) : null}
      <Fact label="Key" value={keyName} />
      <Fact label="Project" value={project} />
      <Fact label="Link expires" value={formatDateTime(expiresAt)} />
      <Text style={{ ...styles.text, margin: "16px 0 0" }}>
        The link below works <strong>once</strong>: the credentials are shown a single time when you open it, so
        store them somewhere safe right away.
      </Text>
      <ActionButton href={retrievalUrl} label="Retrieve the credentials" />
    </EmailLayout>
  );
}

KeyShareEmail.PreviewProps = {
  sharerName: "Grace Hopper",
  keyName: "ci-uploader",
  project: "website-assets",
  message: "Here is the key for the deploy pipeline.\nIt can only write to the assets bucket.",
  retrievalUrl: "https://keygate.example.com/share/preview-token",
  expiresAt: new Date("2025-07-02T12:00:00Z"),
} satisfies KeyShareEmailProps;
