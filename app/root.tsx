import "~/web/context";
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { getAuth, toActor } from "~/auth/session.server";
import { refuseSecretUrl } from "~/web/http.server";
import { useNonce } from "~/components/nonce";
import { getLocale } from "~/i18n/i18next.server";
import { hasStaffPowers } from "~/policy/policy";
import { getDb } from "~/db.server";
import { formatDate } from "~/i18n/format";
import { suspensionActive } from "~/domain/reports";
import { openReportCount } from "~/models/reports.server";
import styles from "~/styles/app.css?url";
import type { OutagePayload } from "~/server/outage";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Quorum" }];

export async function loader({ request }: LoaderFunctionArgs) {
  refuseSecretUrl(request);
  const { user, setCookie } = await getAuth(request);
  const locale = await getLocale(request, user?.locale);
  // Staff see how many posts wait in the report queue (issue 8) beside its link.
  const staff = hasStaffPowers(toActor(user));
  const openReports = staff ? await openReportCount(await getDb()) : null;
  const payload = {
    locale,
    now: Date.now(),
    user: user
      ? {
          id: user.id,
          username: user.username,
          role: user.role,
          reputation: user.reputation,
          suspendedUntil: user.suspendedUntil ? user.suspendedUntil.toISOString() : null,
          suspendedReason: user.suspendedReason,
          emailVerified: user.emailVerified,
          // Staff powers (not the role alone) decide the staff badge and links in the header.
          staff,
        }
      : null,
    openReports,
  };
  return setCookie ? data(payload, { headers: { "Set-Cookie": setCookie } }) : payload;
}

export type RootData = Awaited<ReturnType<typeof loader>> extends infer R ? (R extends { data: infer D } ? D : R) : never;

export function useRootData(): RootData | undefined {
  return useRouteLoaderData("root") as RootData | undefined;
}

export function Layout({ children }: { children: ReactNode }) {
  const root = useRootData();
  const { i18n } = useTranslation();
  const nonce = useNonce();
  const locale = root?.locale ?? i18n.language ?? "zh-CN";
  useEffect(() => {
    if (i18n.language !== locale) void i18n.changeLanguage(locale);
  }, [i18n, locale]);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Header() {
  const root = useRootData();
  const { t } = useTranslation();
  const location = useLocation();
  // A page that was not found is not one to come back to (and its path may be anything typed).
  const error = useRouteError();
  const here = isRouteErrorResponse(error) && error.status === 404 ? "/" : location.pathname + location.search;
  const user = root?.user;
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Link to="/" className="brand" aria-label="Quorum">
          <span className="brand-mark" aria-hidden="true">Q</span>
          <span className="brand-name">Quorum</span>
        </Link>
        <nav className="main-nav" aria-label={t("nav.menu")}>
          <Link to="/">{t("nav.boards")}</Link>
          <Link to="/faq">{t("faq:nav.faq")}</Link>
          <Link to="/ask" className="nav-ask">
            {t("nav.ask")}
          </Link>
        </nav>
        {/* Search box on every page (issue 5). */}
        <Form method="get" action="/search" className="header-search" role="search">
          <label htmlFor="header-q" className="visually-hidden">
            {t("search:box.label")}
          </label>
          <input id="header-q" type="search" name="q" placeholder={t("search:box.placeholder")} maxLength={200} />
          <button type="submit" className="button button-small">
            {t("search:box.submit")}
          </button>
        </Form>
        <div className="header-end">
          <Form method="post" action="/locale" className="locale-switch" aria-label={t("nav.language")}>
            <input type="hidden" name="redirectTo" value={here} />
            <button type="submit" name="locale" value="zh-CN" aria-pressed={root?.locale === "zh-CN"} lang="zh-CN">
              中文
            </button>
            <button type="submit" name="locale" value="en" aria-pressed={root?.locale === "en"} lang="en">
              EN
            </button>
          </Form>
          {user ? (
            <div className="user-menu">
              <Link to={`/u/${encodeURIComponent(user.username)}`} className="user-menu-name">
                {user.username}
                {user.staff ? <span className="badge badge-staff">{t("role.staff")}</span> : null}
              </Link>
              {root?.openReports !== null && root?.openReports !== undefined ? (
                <Link to="/staff/reports" className="nav-reports">
                  {t("reports:nav.queueCount", { count: root.openReports })}
                </Link>
              ) : null}
              <Link to="/reports">{t("reports:nav.mine")}</Link>
              <Link to="/settings">{t("account:nav.settings")}</Link>
              <Form method="post" action="/logout">
                <button type="submit" className="link-button">
                  {t("nav.logout")}
                </button>
              </Form>
            </div>
          ) : (
            <div className="user-menu">
              <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>{t("nav.login")}</Link>
              <Link to={`/signup?redirectTo=${encodeURIComponent(here)}`} className="button button-small">
                {t("nav.signup")}
              </Link>
            </div>
          )}
        </div>
      </div>
    </header>
  );
}

/** The reminder on every page while the account's e-mail address is unconfirmed, with "resend". */
function VerifyBanner() {
  const root = useRootData();
  const { t } = useTranslation("account");
  const location = useLocation();
  // On /verify-email the link may have just been used by this very request.
  if (!root?.user || root.user.emailVerified || location.pathname === "/verify-email") return null;
  return (
    <div className="notice notice-info verify-banner" role="note">
      <span>{t("banner.unverified")}</span>{" "}
      <Form method="post" action="/verify-email" className="inline-form">
        <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
        <button type="submit" className="link-button">
          {t("banner.resend")}
        </button>
      </Form>
    </div>
  );
}

/**
 * On every page while the account is suspended: until when and why. The suspension ends by itself:
 * the banner goes as soon as the time has passed (the root loader's `now`).
 */
function SuspendedBanner() {
  const root = useRootData();
  const { t } = useTranslation("reports");
  const user = root?.user;
  if (!user || !suspensionActive(user.suspendedUntil, root.now)) return null;
  return (
    <div className="notice notice-error suspended-banner" role="alert">
      <strong>{t("suspension.banner", { until: formatDate(user.suspendedUntil!, root.locale) })}</strong>
      {user.suspendedReason ? <p>{t("suspension.reason", { reason: user.suspendedReason })}</p> : null}
      <p className="small">{t("suspension.note")}</p>
    </div>
  );
}

function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="container">
        <p>{t("footer.safety")}</p>
        <p>
          <Link to="/official">{t("faq:official.title")}</Link> · <Link to="/faq">{t("faq:nav.faq")}</Link>
        </p>
        <p className="muted">{t("footer.about")}</p>
      </div>
    </footer>
  );
}

/** After refuseSecretUrl sent the visitor here without the phrase (the search page explains it itself). */
function RefusedUrlNotice() {
  const { t } = useTranslation();
  const location = useLocation();
  if (location.pathname === "/search" || !new URLSearchParams(location.search).has("refused")) return null;
  return (
    <p className="notice notice-error" role="alert">
      {t("app.refusedUrl")}
    </p>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <a href="#main" className="skip-link">
        {t("app.skipToContent")}
      </a>
      <Header />
      <main id="main" className="container main">
        <SuspendedBanner />
        <VerifyBanner />
        <RefusedUrlNotice />
        {children}
      </main>
      <Footer />
    </>
  );
}

export default function App() {
  return (
    <Shell>
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  return (
    <Shell>
      <ErrorPage error={error} />
    </Shell>
  );
}

/**
 * The database is unreachable (app/server/outage.ts): try again in a moment. A form submitted just
 * then comes back with what was typed and a button that sends it again.
 */
/** Fields a form carries for the app, not for the reader: sent again, not shown. */
const MACHINE_FIELD = /^(_.*|intent|clientToken|redirectTo|confirmNotSecret|locale|postId|id)$/;

function OutagePage({ payload }: { payload: OutagePayload }) {
  const { t } = useTranslation();
  const values = Object.entries(payload.values ?? {});
  return (
    <section className="error-page">
      <p className="error-code">503</p>
      <h1>{t("errors.outageTitle")}</h1>
      <p>{t("errors.outage", { seconds: payload.retryAfter })}</p>
      {payload.action && values.length > 0 ? (
        <form method="post" action={payload.action} className="outage-form">
          <p>{t("errors.outageForm")}</p>
          {values.map(([name, value]) =>
            MACHINE_FIELD.test(name) || /^[0-9a-f-]{36}$/i.test(value) ? (
              <input key={name} type="hidden" name={name} value={value} />
            ) : (
              <label key={name} className="field">
                <span>{t(`errors.outageField.${name}`, { defaultValue: name })}</span>
                <textarea name={name} defaultValue={value} rows={Math.min(12, 2 + Math.floor(value.length / 80))} />
              </label>
            ),
          )}
          <button type="submit" className="button">
            {t("errors.outageRetry")}
          </button>
        </form>
      ) : (
        <p>
          <Link to="/">{t("errors.backHome")}</Link>
        </p>
      )}
    </section>
  );
}

/** The error page for any route: 404, 403, 400, 429 and 500 in the reader's language. */
export function ErrorPage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  let status = 500;
  let detail: string | null = null;
  if (isRouteErrorResponse(error) && error.status === 503 && (error.data as { message?: string } | null)?.message === "outage") {
    return <OutagePage payload={error.data as OutagePayload} />;
  }
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const message = (error.data as { message?: string } | null)?.message;
    if (message) detail = message;
  }
  const kind =
    status === 404 ? "notFound" : status === 403 ? "forbidden" : status === 429 ? "tooMany" : status >= 400 && status < 500 ? "badRequest" : "server";
  const detailText =
    detail === "cross_origin"
      ? t("errors.staleForm")
      : detail && t(`validation.${detail}`, { defaultValue: "" })
        ? t(`validation.${detail}`)
        : kind === "tooMany"
          ? (detail ?? "")
          : t(`errors.${kind}`);
  return (
    <section className="error-page">
      <p className="error-code">{status}</p>
      <h1>{t(`errors.${kind}Title`)}</h1>
      <p>{detailText}</p>
      <p>
        <Link to="/">{t("errors.backHome")}</Link>
      </p>
    </section>
  );
}
