import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireStaff } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { forbidden } from "~/web/http.server";
import { RelativeTime } from "~/components/time";
import { config } from "~/web/config.server";

export const meta: MetaFunction = () => [{ title: "Outbox · 发件箱 · Quorum" }];

/** The development outbox (mail kept in the database when no SMTP server is configured): admins only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  if (user.role !== "admin") forbidden("forbidden");
  const db = await getDb();
  const mails = await db
    .selectFrom("mail_outbox")
    .select(["id", "to_address", "subject", "text_body", "created_at"])
    .orderBy("id", "desc")
    .limit(100)
    .execute();
  return { smtp: !!config().SMTP_URL, mails: mails.map((m) => ({ ...m, created_at: m.created_at.toISOString() })) };
}

export default function Outbox() {
  const { mails } = useLoaderData<typeof loader>();
  const { t } = useTranslation("account");
  return (
    <div className="outbox">
      <h1>{t("outbox.title")}</h1>
      <p className="muted">{t("outbox.intro")}</p>
      {mails.length === 0 ? <p>{t("outbox.empty")}</p> : null}
      {mails.map((m) => (
        <article key={m.id} className="card outbox-mail" data-to={m.to_address}>
          <dl>
            <dt>{t("outbox.to")}</dt>
            <dd className="outbox-to">{m.to_address}</dd>
            <dt>{t("outbox.subject")}</dt>
            <dd className="outbox-subject">{m.subject}</dd>
            <dt>{t("outbox.sent")}</dt>
            <dd>
              <RelativeTime date={m.created_at} />
            </dd>
          </dl>
          <pre className="outbox-body">{m.text_body}</pre>
        </article>
      ))}
    </div>
  );
}
