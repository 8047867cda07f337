import type { Database } from "./index";

/** The default boards, from the seed document's problem types. */
export const DEFAULT_BOARDS = [
  {
    slug: "account",
    name_zh: "账户与登录",
    name_en: "Account & login",
    description_zh: "找回账户、忘记密码、无法登录、绑定手机或邮箱。",
    description_en: "Recovering an account, forgotten passwords, trouble logging in, linking a phone or e-mail.",
    staff_only: false,
    needs_verification: false,
  },
  {
    slug: "deposits",
    name_zh: "充值与提现",
    name_en: "Deposits & withdrawals",
    description_zh: "充值未到账、提现延迟、手续费与限额。",
    description_en: "Deposits that have not arrived, delayed withdrawals, fees and limits.",
    staff_only: false,
    needs_verification: false,
  },
  {
    slug: "transactions",
    name_zh: "交易问题",
    name_en: "Failed transactions",
    description_zh: "交易失败、卡在确认中、地址填错、矿工费不足。",
    description_en: "Failed or stuck transactions, wrong addresses, fees too low.",
    staff_only: false,
    needs_verification: false,
  },
  {
    slug: "frozen-assets",
    name_zh: "资产冻结",
    name_en: "Frozen assets",
    description_zh: "资产被冻结或限制:原因、所需的身份验证材料与处理进度。",
    description_en: "Frozen or restricted assets: why it happens, what verification is needed, and progress.",
    staff_only: false,
    needs_verification: true,
  },
  {
    slug: "security",
    name_zh: "账户安全",
    name_en: "Account security",
    description_zh: "双重认证、可疑登录、防诈骗。切勿公开助记词、私钥或验证码。",
    description_en: "Two-factor authentication, suspicious sign-ins, scams. Never share a recovery phrase, key or code.",
    staff_only: false,
    needs_verification: true,
  },
  {
    slug: "tips",
    name_zh: "使用经验",
    name_en: "Tips & experience",
    description_zh: "老用户分享的使用心得与经验。",
    description_en: "Tips and experience shared by veteran users.",
    staff_only: false,
    needs_verification: false,
  },
  {
    slug: "announcements",
    name_zh: "公告",
    name_en: "Announcements",
    description_zh: "官方公告,仅工作人员可发帖。",
    description_en: "Official announcements; only staff may start threads.",
    staff_only: true,
    needs_verification: false,
  },
] as const;

/**
 * Inserts the default boards that do not exist yet (by slug). Idempotent: running it again changes
 * nothing, and boards an operator edited keep their edits.
 */
export async function seedDefaultBoards(db: Database): Promise<number> {
  const rows = DEFAULT_BOARDS.map((b, i) => ({ ...b, position: (i + 1) * 10 }));
  const inserted = await db
    .insertInto("boards")
    .values(rows)
    .onConflict((oc) => oc.column("slug").doNothing())
    .returning("id")
    .execute();
  return inserted.length;
}
