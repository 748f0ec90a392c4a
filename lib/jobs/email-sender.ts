// The email templates (react-email, with its Tailwind, Markdown and Prism dependencies) take
// about 2 s and 40 MB to load. The jobs run in every gateway worker, so they load them only
// when a reminder is actually sent, not at start.
export const emailSender = () => import("../email/send");
