import { KeyReminder, previewReminderKey, type ReminderKeyProps } from "../lib/email/key-reminder";
import { oneLine } from "../lib/email/layout";

export type ExpiryReminderEmailProps = ReminderKeyProps & {
  expiresAt: Date | string;
  /** Whole days until expiry (0 = today). */
  daysLeft: number;
};

export function describeDaysLeft(daysLeft: number): string {
  const days = Math.max(0, Math.floor(daysLeft));
  if (days === 0) return "today";
  if (days === 1) return "tomorrow";
  return `in ${days} days`;
}

export function expiryReminderSubject(props: Pick<ExpiryReminderEmailProps, "keyName" | "daysLeft">): string {
  return oneLine(`Access key "${props.keyName}" expires ${describeDaysLeft(props.daysLeft)}`);
}

export default function ExpiryReminderEmail(props: ExpiryReminderEmailProps) {
  const { keyName, project } = props;
  const when = describeDaysLeft(props.daysLeft);
  return (
    <KeyReminder
      reminderKey={props}
      preview={`The access key "${keyName}" in ${project} expires ${when}`}
      heading={`An access key expires ${when}`}
      intro={
        <>
          The S3 access key <strong>{keyName}</strong> in the project <strong>{project}</strong> expires{" "}
          <strong>{when}</strong>. After that, requests signed with it will be rejected.
        </>
      }
      when={{ label: "Expires", date: props.expiresAt }}
      advice="Open the key in Keygate to rotate or replace it before then and avoid an interruption."
      actionLabel="Review the key"
      reason="You receive this reminder because you manage this key in Keygate."
    />
  );
}

ExpiryReminderEmail.PreviewProps = {
  ...previewReminderKey, expiresAt: new Date("2025-07-08T12:00:00Z"), daysLeft: 7,
} satisfies ExpiryReminderEmailProps;
