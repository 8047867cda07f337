import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The one-button staff actions on an entry; each is its own small POST form (works without JS). */
export function EntryActions({ id, status, sourceChanged, compact }: { id: number; status: string; sourceChanged: boolean; compact?: boolean }) {
  const { t } = useTranslation("faq");
  const button = (intent: string, label: string, danger = false) => (
    <Form method="post" className="inline-form" key={intent}>
      <input type="hidden" name="entryId" value={id} />
      <button type="submit" name="intent" value={intent} className={danger ? "button button-small button-danger" : "button button-small button-secondary"}>
        {label}
      </button>
    </Form>
  );
  return (
    <div className="faq-actions">
      {sourceChanged ? button("update", t("actions.update")) : null}
      {button("review", t("actions.review"))}
      {compact ? button("up", t("actions.up")) : null}
      {compact ? button("down", t("actions.down")) : null}
      {status === "published" ? button("unpublish", t("actions.unpublish")) : button("publish", t("actions.publish"))}
      {status !== "archived" ? button("archive", t("actions.archive")) : null}
      {button("delete", t("actions.delete"), true)}
    </div>
  );
}
