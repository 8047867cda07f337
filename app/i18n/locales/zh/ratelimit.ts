/** 频率限制（app/models/ratelimit.server.ts）：被限制的请求看到的说明。 */
const ratelimit = {
  what: {
    login: "登录尝试次数过多。",
    signup: "你的网络注册次数过多。",
    thread: "短时间内发布的新问题过多。",
    answer: "短时间内发布的回答过多。",
    report: "短时间内提交的举报过多。",
    reset: "重置密码的请求过多。",
    verify: "确认邮件的请求过多。",
    email: "更换邮箱的请求过多。",
    twoFactor: "验证码尝试次数过多。",
    feedback: "你的网络在短时间内提交的反馈过多。",
    view: "浏览次数过多。",
  },
  retry: "请{{wait}}（{{at}}）再试。",
  kept: "内容没有提交，你输入的文字保留在下方。",
  newAccount: "新账户在注册后的第一天限制更严。",
};
export default ratelimit;
