/** Limits shared by forms (client) and the server. */
export const MAX_BODY_LENGTH = 20_000;
/** A moderator's reason for hiding or deleting (the hidden_reason/deleted_reason columns' CHECKs: 1–200). */
export const MAX_MOD_REASON = 200;
