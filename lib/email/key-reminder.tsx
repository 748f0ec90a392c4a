/**
 * The layout both key reminders share (expiry, rotation): what happens, the key's facts, what
 * to do about it, one button, and why the recipient gets it.
 */
import type { ReactNode } from "react";
import { Text } from "@react-email/components";
import { ActionButton, EmailLayout, Fact, formatDateTime, styles } from "./layout";

export type KeyReminderProps = {
  preview: string;
  heading: string;
  /** What is happening to the key, in a sentence or two. */
  intro: ReactNode;
  keyName: string;
  project: string;
  /** The fact the reminder is about, e.g. "Expires" and its date. */
  when: { label: string; date: Date | string };
  /** What the recipient should do. */
  advice: ReactNode;
  action: { href: string; label: string };
  /** Why the recipient gets this email. */
  reason: string;
};

export function KeyReminder(props: KeyReminderProps) {
  return (
    <EmailLayout preview={props.preview} heading={props.heading} footer={<Text style={styles.muted}>{props.reason}</Text>}>
      <Text style={styles.text}>{props.intro}</Text>
      <Fact label="Key" value={props.keyName} />
      <Fact label="Project" value={props.project} />
      <Fact label={props.when.label} value={formatDateTime(props.when.date)} />
      <Text style={{ ...styles.text, margin: "16px 0 0" }}>{props.advice}</Text>
      <ActionButton href={props.action.href} label={props.action.label} />
    </EmailLayout>
  );
}
