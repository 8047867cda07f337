import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireStaff } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { boardName } from "~/domain/boards";
import { threadPath } from "~/web/paths";
import { listBoardChoices } from "~/models/boards.server";
import { listCandidates } from "~/models/faq.server";
import { useLocale } from "~/components/time";

export const meta: MetaFunction = () => [{ title: "FAQ candidates · 常见问题候选 · Quorum" }];

/** Staff: solved threads not yet in the FAQ, by the score documented in app/models/faq.server.ts. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const board = new URL(request.url).searchParams.get("board")?.slice(0, 60) || null;
  const db = await getDb();
  const [candidates, boards] = await Promise.all([listCandidates(db, { board }), listBoardChoices(db)]);
  return { candidates, boards, board };
}

export default function Candidates() {
  const { candidates, boards, board } = useLoaderData<typeof loader>();
  const { t } = useTranslation("faq");
  const locale = useLocale();
  return (
    <>
      <div className="page-head">
        <h1>{t("candidates.title")}</h1>
        <Link to="/staff/faq">{t("staff.title")}</Link>
      </div>
      <p className="muted">{t("candidates.scoreHelp")}</p>
      <Form method="get" className="inline-form">
        <label htmlFor="cand-board">{t("candidates.board")}</label>{" "}
        <select id="cand-board" name="board" defaultValue={board ?? ""}>
          <option value="">{t("candidates.allBoards")}</option>
          {boards.map((b) => (
            <option key={b.id} value={b.slug}>
              {boardName(b, locale)}
            </option>
          ))}
        </select>{" "}
        <button type="submit" className="button button-secondary">
          {t("candidates.filter")}
        </button>
      </Form>
      {candidates.length === 0 ? (
        <p className="empty">{t("candidates.none")}</p>
      ) : (
        <table className="table candidates-table">
          <thead>
            <tr>
              <th>{t("candidates.score")}</th>
              <th>{t("candidates.thread")}</th>
              <th>{t("candidates.board")}</th>
              <th>{t("candidates.views")}</th>
              <th>{t("candidates.replies")}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {candidates.map((c) => (
              <tr key={c.id} data-thread={c.id}>
                <td className="num">{c.score}</td>
                <td>
                  <Link to={threadPath(c.id, c.slug)}>{c.title}</Link>{" "}
                  {c.verified_post_id ? <span className="badge badge-verified">{t("candidates.verified")}</span> : null}
                </td>
                <td>{boardName({ name_zh: c.board_name_zh, name_en: c.board_name_en }, locale)}</td>
                <td className="num">{c.view_count}</td>
                <td className="num">{c.reply_count}</td>
                <td>
                  <Link className="button button-small" to={`/staff/faq/promote/${c.id}`}>
                    {t("candidates.promote")}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
