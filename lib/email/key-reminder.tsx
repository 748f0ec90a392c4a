/**
 * The layout both key reminders share (expiry, rotation): what happens, the key's facts, what
 * to do about it, one button, and why the recipient gets it.
 */
import type { ReactNode } from "react";
import { Text } from "@react-email/components";
import { ActionButton, EmailLayout, Fact, formatDateTime, styles } from "./layout";

/** The key a reminder is about and its page: the props every reminder template starts with. */
export type ReminderKeyProps = { keyName: string; project: string; keyUrl: string };

/** The key the reminder templates' preview props show. */
export const previewReminderKey = {
  keyName: "ci-uploader",
  project: "website-assets",
  keyUrl: "https://keygate.example.com/orgs/acme/keys/ckey123",
} satisfies ReminderKeyProps;

export type KeyReminderProps = {
  /** Listed by name and project; the button opens its page. */
  reminderKey: ReminderKeyProps;
  preview: string;
  heading: string;
  /** What is happening to the key, in a sentence or two. */
  intro: ReactNode;
  /** The fact the reminder is about, e.g. "Expires" and its date. */
  when: { label: string; date: Date | string };
  /** What the recipient should do. */
  advice: ReactNode;
  actionLabel: string;
  /** Why the recipient gets this email. */
  reason: string;
};

export function KeyReminder(props: KeyReminderProps) {
  return (
    <EmailLayout preview={props.preview} heading={props.heading} footer={<Text style={styles.muted}>{props.reason}</Text>}>
      <Text style={styles.text}>{props.intro}</Text>
      <Fact label="Key" value={props.reminderKey.keyName} />
      <Fact label="Project" value={props.reminderKey.project} />
      <Fact label={props.when.label} value={formatDateTime(props.when.date)} />
      <Text style={{ ...styles.text, margin: "16px 0 0" }}>{props.advice}</Text>
      <ActionButton href={props.reminderKey.keyUrl} label={props.actionLabel} />
    </EmailLayout>
  );
}
