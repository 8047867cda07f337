/**
 * The pure parts of the benchmark seeder: a seeded random generator, the long-tailed reply-count
 * distribution and the Markdown body/title pools. No database here, so tests/unit can check them.
 */

/** mulberry32: a small, fast, seeded PRNG (the dataset is the same on every run with the same seed). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type ReplyCountOptions = {
  /** Pareto shape: smaller = longer tail. */
  alpha?: number;
  /** No thread gets more replies than this. */
  max?: number;
  /** How many threads get exactly `exact` replies (the thread-page benchmark's "100-answer thread"). */
  exactCount?: number;
  exact?: number;
};

/**
 * Reply counts for `threads` threads that sum to exactly `totalReplies`: a Pareto (long-tail)
 * distribution, as in real forums — many threads with no or few answers, a few with hundreds — plus
 * `exactCount` threads with exactly `exact` replies spread through the list.
 */
export function replyCounts(threads: number, totalReplies: number, random: () => number, opts: ReplyCountOptions = {}): number[] {
  const alpha = opts.alpha ?? 1.3;
  const max = opts.max ?? 2000;
  const exact = opts.exact ?? 100;
  const exactCount = Math.min(opts.exactCount ?? 5, threads);
  if (threads <= 0) return [];
  if (totalReplies < exact * exactCount) throw new Error("too few replies for the fixed threads");
  if (totalReplies > threads * max) throw new Error("too many replies for the cap");
  const counts = new Array<number>(threads).fill(0);
  const fixed = new Set<number>();
  for (let k = 0; k < exactCount; k++) {
    const i = Math.floor(((k + 0.5) * threads) / exactCount);
    fixed.add(i);
    counts[i] = exact;
  }
  const rest = totalReplies - exact * fixed.size;
  // Pareto weights (x_m = 1), minus 1 so that most threads sit near zero.
  const weights = new Array<number>(threads).fill(0);
  let sum = 0;
  for (let i = 0; i < threads; i++) {
    if (fixed.has(i)) continue;
    const w = Math.pow(1 - random(), -1 / alpha) - 0.9;
    weights[i] = w;
    sum += w;
  }
  // Water-filling: threads whose share exceeds the cap get the cap, the rest is shared again among
  // the others in proportion to their weights (so the cap does not flatten the distribution).
  const capped = new Set<number>();
  let share = rest;
  let weightSum = sum;
  for (;;) {
    let newlyCapped = 0;
    for (let i = 0; i < threads; i++) {
      if (fixed.has(i) || capped.has(i)) continue;
      if ((weights[i] / weightSum) * share > max) {
        capped.add(i);
        newlyCapped++;
      }
    }
    if (newlyCapped === 0) break;
    share = rest - capped.size * max;
    weightSum = 0;
    for (let i = 0; i < threads; i++) if (!fixed.has(i) && !capped.has(i)) weightSum += weights[i];
  }
  let assigned = 0;
  const fraction = new Array<number>(threads).fill(-1);
  for (let i = 0; i < threads; i++) {
    if (fixed.has(i)) continue;
    if (capped.has(i)) {
      counts[i] = max;
      assigned += max;
      continue;
    }
    const exactShare = (weights[i] / weightSum) * share;
    const c = Math.min(max, Math.floor(exactShare));
    counts[i] = c;
    fraction[i] = c < max ? exactShare - c : -1;
    assigned += c;
  }
  // Largest remainders first (keeps the shape: threads near zero stay at zero), then round robin
  // over the threads below the cap if the cap left more to hand out.
  let left = rest - assigned;
  const order = Array.from({ length: threads }, (_, i) => i)
    .filter((i) => fraction[i] >= 0)
    .sort((a, b) => fraction[b] - fraction[a]);
  while (left > 0) {
    let gave = false;
    for (const i of order) {
      if (left === 0) break;
      if (counts[i] < max) {
        counts[i]++;
        left--;
        gave = true;
      }
    }
    if (!gave) throw new Error("could not distribute replies");
  }
  return counts;
}

/** A weighted pick: the board a thread goes to (busy boards get more threads). */
export function weightedIndex(weights: readonly number[], random: () => number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

const pick = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * list.length)];

const ZH_SUBJECTS = ["提现", "充值", "转账", "助记词", "私钥", "双重认证", "手续费", "USDT", "以太坊", "比特币", "冷钱包", "交易哈希", "地址簿", "矿工费", "TRC20 网络", "ERC20 网络", "账户冻结", "身份验证"];
const ZH_PROBLEMS = ["一直没有到账", "显示失败", "卡在确认中", "提示余额不足", "无法打开", "验证码总是错误", "被限制了", "需要多久", "该怎么设置", "是否安全"];
const ZH_SENTENCES = [
  "我昨天下午发起了一笔{s},到现在还{p},请问是什么原因?",
  "按照帮助中心的步骤操作了,但还是{p}。",
  "有没有老用户遇到过同样的情况?{s}{p}的话应该联系谁?",
  "提醒大家:任何人索要助记词都是骗子,官方客服不会私信你。",
  "我已经把 App 更新到最新版本,重启手机后问题依旧。",
  "区块浏览器上显示已经有 12 个确认了,可是钱包里余额没变。",
  "谢谢楼上的解答,按照你说的方法已经解决了!",
  "建议先检查网络是否选对,{s}选错网络是最常见的原因。",
  "客服回复说需要 24 小时内处理,我再等等看。",
];
const EN_SUBJECTS = ["withdrawal", "deposit", "transfer", "recovery phrase", "2FA code", "network fee", "USDT on TRON", "ETH gas fee", "hardware wallet", "address book", "swap", "staking reward"];
const EN_PROBLEMS = ["has not arrived", "failed", "is stuck as pending", "says insufficient funds", "cannot be confirmed", "was rejected", "is taking forever", "shows the wrong amount"];
const EN_SENTENCES = [
  "My {s} {p} since yesterday. What should I check first?",
  "I followed the guide in the help center but the {s} still {p}.",
  "Has anyone seen this before? It only happens on Android.",
  "Never share your recovery phrase — support will never ask for it.",
  "The explorer shows 20 confirmations, but the balance in the app is unchanged.",
  "Thanks, raising the fee solved it for me.",
  "Double-check the network: sending on the wrong chain is the usual cause when a {s} {p}.",
  "Support answered within a day, so be patient.",
];
const CODE_BLOCKS = [
  "```\nError: insufficient funds for gas * price + value\n    at sendTransaction (wallet.js:212)\n```",
  "```json\n{\n  \"status\": \"pending\",\n  \"confirmations\": 0,\n  \"fee\": \"0.00021\"\n}\n```",
  "```\n$ wallet-cli status --verbose\nsync: 100%\npeers: 8\nheight: 841273\n```",
  "```js\nconst tx = await wallet.send({ to, amount, fee: 'high' });\nconsole.log(tx.hash);\n```",
  "```\n交易失败:nonce too low\n请稍后重试\n```",
];
const LINKS = [
  "[帮助中心](https://help.example.com/zh/articles/withdrawals)",
  "[the fee guide](https://help.example.com/en/fees)",
  "[区块浏览器](https://explorer.example.com/tx/)",
  "[status page](https://status.example.com/)",
  "<https://help.example.com/en/security>",
];

function sentence(zh: boolean, random: () => number): string {
  const tpl = zh ? pick(ZH_SENTENCES, random) : pick(EN_SENTENCES, random);
  return tpl.replace("{s}", zh ? pick(ZH_SUBJECTS, random) : pick(EN_SUBJECTS, random)).replace("{p}", zh ? pick(ZH_PROBLEMS, random) : pick(EN_PROBLEMS, random));
}

/**
 * One Markdown body: 1–4 paragraphs mixing Chinese and English, sometimes with a list, a code
 * block, a link, bold text or a quote. Lengths vary from one line to a screenful.
 */
export function markdownBody(random: () => number): string {
  const zhFirst = random() < 0.6;
  const parts: string[] = [];
  const paragraphs = 1 + Math.floor(random() * random() * 4);
  for (let i = 0; i < paragraphs; i++) {
    const zh = i === 0 ? zhFirst : random() < 0.5;
    const n = 1 + Math.floor(random() * 3);
    let p = Array.from({ length: n }, () => sentence(zh, random)).join(zh ? "" : " ");
    if (random() < 0.2) p = p.replace(/^(\S+)/, "**$1**");
    parts.push(p);
  }
  if (random() < 0.25) parts.push(pick(CODE_BLOCKS, random));
  if (random() < 0.3) parts.push((zhFirst ? "参考:" : "See ") + pick(LINKS, random));
  if (random() < 0.15) {
    parts.push(["1. " + sentence(zhFirst, random), "2. " + sentence(zhFirst, random), "3. " + sentence(!zhFirst, random)].join("\n"));
  }
  if (random() < 0.1) parts.splice(0, 0, "> " + sentence(!zhFirst, random));
  return parts.join("\n\n");
}

/** A thread title of 8–150 characters, Chinese or English. */
export function threadTitle(random: () => number): string {
  const t =
    random() < 0.6
      ? `${pick(ZH_SUBJECTS, random)}${pick(ZH_PROBLEMS, random)},${pick(["求助", "怎么办", "请问原因", "急", "有人遇到吗"], random)}`
      : `${pick(["Help:", "Why", "Question:", "Urgent:", "How come"], random)} my ${pick(EN_SUBJECTS, random)} ${pick(EN_PROBLEMS, random)}`;
  return t.length >= 8 ? t.slice(0, 150) : `${t} (help)`;
}
