/**
 * Shared building blocks for the react-email templates in `emails/`.
 * Plain inline styles, system fonts, no remote images or fonts.
 */
import type { ReactNode } from "react";
import { Body, Button, Container, Head, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";

const fontFamily =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

export const styles = {
  body: { backgroundColor: "#f4f4f5", fontFamily, margin: 0, padding: "24px 0" },
  container: {
    backgroundColor: "#ffffff",
    border: "1px solid #e4e4e7",
    borderRadius: "8px",
    margin: "0 auto",
    maxWidth: "520px",
    padding: "32px",
  },
  brand: { color: "#71717a", fontSize: "13px", fontWeight: 600, letterSpacing: "0.04em", margin: "0 0 16px" },
  heading: { color: "#18181b", fontSize: "20px", fontWeight: 600, lineHeight: "28px", margin: "0 0 16px" },
  text: { color: "#27272a", fontSize: "15px", lineHeight: "24px", margin: "0 0 16px" },
  muted: { color: "#71717a", fontSize: "13px", lineHeight: "20px", margin: "0 0 8px" },
  button: {
    backgroundColor: "#18181b",
    borderRadius: "6px",
    color: "#ffffff",
    display: "inline-block",
    fontSize: "15px",
    fontWeight: 600,
    padding: "12px 20px",
    textDecoration: "none",
  },
  link: { color: "#2563eb", wordBreak: "break-all" as const },
  quote: {
    borderLeft: "3px solid #d4d4d8",
    color: "#3f3f46",
    fontSize: "15px",
    lineHeight: "24px",
    margin: "0 0 16px",
    padding: "0 0 0 12px",
  },
  facts: { color: "#27272a", fontSize: "14px", lineHeight: "22px", margin: "0 0 4px" },
  hr: { borderColor: "#e4e4e7", margin: "24px 0 16px" },
};

export function EmailLayout(props: { preview: string; heading: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.brand}>KEYGATE</Text>
          <Text style={styles.heading}>{props.heading}</Text>
          {props.children}
          <Hr style={styles.hr} />
          {props.footer}
          <Text style={styles.muted}>Sent by Keygate, a self-hosted control panel for S3 access keys.</Text>
        </Container>
      </Body>
    </Html>
  );
}

/** The primary call to action, followed by the raw URL for clients that hide buttons. */
export function ActionButton(props: { href: string; label: string }) {
  return (
    <Section style={{ margin: "8px 0 24px" }}>
      <Button href={props.href} style={styles.button}>
        {props.label}
      </Button>
      <Text style={{ ...styles.muted, margin: "16px 0 0" }}>
        If the button does not work, paste this link into your browser:
      </Text>
      <Text style={{ ...styles.muted, margin: 0 }}>
        <Link href={props.href} style={styles.link}>
          {props.href}
        </Link>
      </Text>
    </Section>
  );
}

export function Fact(props: { label: string; value: ReactNode }) {
  return (
    <Text style={styles.facts}>
      <strong>{props.label}:</strong> {props.value}
    </Text>
  );
}

const dateTimeFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

/** Deterministic, timezone-explicit date for emails, e.g. "Jul 1, 2025, 14:00 UTC". */
export function formatDateTime(value: Date | string | number): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${dateTimeFormat.format(date)} UTC`;
}

/** Subjects are single-line headers: collapse whitespace (incl. CR/LF) and cap the length. */
export function oneLine(value: string, max = 200): string {
  const collapsed = value.replace(/\s+/g, " ").trim();
  return collapsed.length > max ? `${collapsed.slice(0, max - 1)}…` : collapsed;
}

/**
 * Names people choose (organizations, projects, keys) must never become links: mail clients
 * turn "verify at https://evil.test" or "evil.test" into one. A zero-width space after every
 * ".", ":", "/" and "@" breaks URL and address detection while the text reads the same.
 */
export function unlinkable(value: string): string {
  return value.replace(/([.:/@])/g, "$1\u200B");
}
