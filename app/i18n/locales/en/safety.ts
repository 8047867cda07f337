/** Wallet safety (issue 6): refusals of recovery phrases, private keys, blocked links; look-alike names. */
const safety = {
  blocked: {
    title: "Not posted: this looks like a recovery phrase or a private key",
    why: "Anyone who sees a recovery phrase (mnemonic) or a private key can take every coin in that wallet, and posts here are public and copied by bots within minutes. We hid it in the form below and stored nothing.",
    whatToDo: "If you have ever shared it — here, in a chat, with someone who says they are support — treat the wallet as stolen:",
    step1: "Create a NEW wallet with a new recovery phrase, on a device you trust.",
    step2: "Move all your funds to the new wallet immediately, before anyone else does.",
    step3: "Never use the old phrase or key again, and never type it into a website, form or chat.",
    staffNever: "Staff will never ask for your recovery phrase, private key or verification codes, and never ask you to send funds.",
    edit: "Remove the hidden part and post again: describe your problem in words instead.",
  },
  warn: {
    title: "Is this a recovery phrase?",
    why: "Part of your text is a long run of words from the recovery-phrase word lists. If it is (even part of) a recovery phrase, do not post it: anyone could take your funds.",
    confirm: "I confirm this is not a recovery phrase or private key",
    hint: "Tick the box and submit again to post it as it is.",
  },
  domain: {
    title: "Not posted: a link points to a blocked site",
    why: "Links to {{domain}} are not allowed here: it is on this forum's list of unsafe sites. Remove the link and post again.",
  },
  field: {
    blocked: "Hidden: a recovery phrase or private key must never be posted.",
    warned: "This may be a recovery phrase: confirm below, or remove it.",
    blockedDomain: "Links to {{domain}} are not allowed.",
    phishingLink: "Links to {{domain}} are not allowed: it looks like a phishing site.",
  },
  phishing: {
    title: "Not posted: a link looks like a phishing site",
    lookalike: "{{domain}} imitates one of this forum's official domains (see the official channels page). Remove the link and post again.",
    walletConnect: "The link to {{domain}} asks to connect, approve or claim with a wallet: a common way to drain wallets. Remove the link and post again.",
  },
  link: {
    notice: "This post links to another site (marked ⚠). Quorum staff never ask you to sign in or connect your wallet on another site.",
  },
  notStaff: {
    notice: "This is not a staff member. Quorum staff always carry the staff badge and never ask for your phrase or codes.",
  },
  address: {
    notice: "This post contains a wallet address. Never send funds to an address posted by another user — staff never ask for payment or for your recovery phrase.",
  },
  hidden: {
    post: "This post has been hidden.",
    postSecret: "This post has been hidden because it contained what looks like a recovery phrase or private key.",
    thread: "This thread has been hidden.",
    threadTitle: "(hidden title)",
    onlyYou: "Only the author and staff see this notice.",
    compromised: "If it was your phrase or key, move your funds to a new wallet immediately.",
  },
  name: {
    reserved: "Usernames may not contain “{{word}}”: it could make people think you are staff.",
    confusable: "This username looks too much like the staff account “{{name}}”. Please choose another.",
  },
} as const;

export default safety;
