/** Limits shared by forms (client) and the server. */
export const MAX_BODY_LENGTH = 20_000;
