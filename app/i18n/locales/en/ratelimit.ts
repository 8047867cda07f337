/** Rate limits (app/models/ratelimit.server.ts): what a limited request is told. */
const ratelimit = {
  what: {
    login: "Too many login attempts.",
    signup: "Too many sign-ups from your network.",
    thread: "Too many new questions in a short time.",
    answer: "Too many answers in a short time.",
    report: "Too many reports in a short time.",
    reset: "Too many password-reset requests.",
    verify: "Too many confirmation e-mails requested.",
    email: "Too many e-mail changes requested.",
    twoFactor: "Too many sign-in code attempts.",
    feedback: "Too much feedback from your network in a short time.",
    view: "Too many page views.",
  },
  retry: "Try again {{wait}} (at {{at}}).",
  kept: "Nothing was sent; what you typed is kept below.",
  newAccount: "New accounts have lower limits for their first day.",
};
export default ratelimit;
