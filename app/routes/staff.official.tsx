import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/forms";
import { SafetyPanel, safetyOf } from "~/components/safety";
import { getDb } from "~/db.server";
import { requireAdmin } from "~/forms/faq-form.server";
import { CONFIRM, domainFormError, formError, markdownFieldError, parseFormData } from "~/web/forms.server";
import { z } from "zod";

// The page may be emptied (the official channels are then listed nowhere but the footer).
const officialSchema = z.object({ body: z.string().default(""), [CONFIRM]: z.string().optional() });
import { readForm } from "~/web/http.server";
import type { FieldErrors } from "~/web/schemas";
import { getOfficialPage, saveOfficialPage } from "~/models/faq.server";

export const meta: MetaFunction = () => [{ title: "Edit official channels · 编辑官方渠道 · Quorum" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const db = await getDb();
  return { body: (await getOfficialPage(db))?.body_md ?? "" };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await requireAdmin(request);
  const parsed = parseFormData(form, officialSchema);
  if (!parsed.ok) return formError(parsed.errors, parsed.values);
  const { body } = parsed.data;
  const md = markdownFieldError(body);
  if (md) return formError({ body: md }, parsed.values);
  try {
    await saveOfficialPage(await getDb(), { bodyMd: body, actorId: user.id, confirmedNotSecret: parsed.data[CONFIRM] === "1" });
  } catch (error) {
    return domainFormError(error, parsed.values);
  }
  return redirect("/official");
}

export default function EditOfficial() {
  const { body } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("faq");
  const errors = (actionData && "errors" in actionData ? actionData.errors : {}) as FieldErrors;
  const values = (actionData && "values" in actionData ? actionData.values : {}) as Record<string, string>;
  const safety = safetyOf(actionData);
  return (
    <>
      <h1>{t("official.edit")}</h1>
      <p className="notice notice-warning">{t("official.warning")}</p>
      <Form method="post" className="form" key={safety?.nonce ?? "official"}>
        <Field name="body" label={t("official.body")} error={errors.body}>
          {(aria) => <textarea {...aria} name="body" rows={14} defaultValue={values.body ?? body} />}
        </Field>
        <SafetyPanel safety={safety} />
        <div className="form-actions">
          <button type="submit" className="button">
            {t("editor.save")}
          </button>
        </div>
      </Form>
    </>
  );
}
