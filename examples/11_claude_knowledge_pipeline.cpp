// SPDX-License-Identifier: Apache-2.0
// A knowledge-pipeline server's Claude back end: a snapshot with Claude Code pre-installed, one
// sandbox per user made from it (reused across jobs, cleaned up when idle), a preflight, and
// jobs that stream Claude's events as JSON lines (`log`, `result`, `error`, `done`, each with
// sandboxId, jobId and ts). The second job continues the first one's conversation.
//
// Daytona is used when DAYTONA_API_KEY is set and Anthropic when ANTHROPIC_API_KEY is;
// otherwise the embedded emulator and a scripted Messages API stand-in.
#include <daytona.hpp>

#include "example_support.hpp"

#include <chrono>
#include <ctime>
#include <iostream>

namespace dt = daytona;

namespace {

std::string now_iso() {
    char buf[32];
    const std::time_t t = std::time(nullptr);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

/// One job event as a JSON line on stdout.
void emit(std::string_view type, const std::string& sandbox_id, const std::string& job_id,
          std::string_view field, std::string_view value) {
    std::string line;
    dt::json::writer w(line);
    w.begin_object().member("type", type).member("sandboxId", sandbox_id);
    w.member("jobId", job_id).member("ts", now_iso());
    if (!field.empty()) w.member(field, value);
    w.end_object();
    std::cout << line << std::endl;
}

struct pipeline {
    dt::client& client;
    example::claude_setup& claude;
    std::string snapshot;

    /// The user's sandbox: reused when it exists (started if stopped), else made from the
    /// snapshot with USER_ID and ANTHROPIC_API_KEY in its env.
    asio::awaitable<dt::result<dt::sandbox>> sandbox_for(std::string user) {
        dt::create_params p;
        p.name = "kp-" + user;
        p.snapshot = snapshot;
        p.labels = {{"app", "knowledge-pipeline"}, {"user", user}};
        p.env = claude.sandbox_env;
        p.env["USER_ID"] = user;
        p.env["ANTHROPIC_API_KEY"] = claude.api_key;  // the sandbox's own env, as the guide does
        co_return co_await client.get_or_create(std::move(p));
    }

    /// Reports what works; only a missing CLI or key is fatal (offline, DNS and HTTPS fail).
    static asio::awaitable<bool> preflight(dt::session s) {
        auto version = co_await s.exec("claude --version");
        auto key = co_await s.exec("[ -n \"$ANTHROPIC_API_KEY\" ] && echo present || echo missing");
        auto dns =
            co_await s.exec("timeout 5 getent hosts api.anthropic.com >/dev/null && echo ok");
        auto https = co_await s.exec(
            "timeout 5 curl -sS -o /dev/null https://api.anthropic.com 2>/dev/null && echo ok");
        const bool cli = version && version->exit_code == 0;
        const bool has_key = key && key->stdout_text == "present\n";
        std::cerr << "preflight: claude " << (cli ? version->stdout_text : "missing\n")
                  << "preflight: key " << (has_key ? "present" : "missing") << ", dns "
                  << (dns && dns->exit_code == 0 ? "ok" : "failed") << ", https "
                  << (https && https->exit_code == 0 ? "ok" : "failed") << '\n';
        co_return cli&& has_key;
    }

    /// Runs one job in the user's session, streaming its events; answers the result text.
    asio::awaitable<std::string> job(dt::sandbox sb, std::string job_id, std::string prompt,
                                     bool continue_conversation) {
        dt::claude::options o;
        o.cwd = "knowledge";
        o.continue_session = continue_conversation;
        const std::string sid = sb.id();
        dt::claude::event_callback on_event = [&](const dt::claude::event& e) {
            emit("log", sid, job_id, "event", dt::claude::event_type(e));
        };
        auto r = co_await dt::claude::stream(sb, std::move(prompt), std::move(o), on_event);
        std::string answer;
        if (!r)
            emit("error", sid, job_id, "message", r.error().to_string());
        else if (r->failed())
            emit("error", sid, job_id, "message", r->failure_message());
        else
            emit("result", sid, job_id, "result", answer = r->result);
        emit("done", sid, job_id, "", "");
        co_return answer;
    }

    /// Removes the pipeline's sandboxes whose last activity is older than `idle`.
    asio::awaitable<int> clean_up(std::chrono::seconds idle) {
        dt::list_params filter;
        filter.labels = {{"app", "knowledge-pipeline"}};
        auto page = co_await client.list(std::move(filter));
        if (!page) co_return 0;
        int removed = 0;
        for (const auto& sb : page->items) {
            (void)idle;  // a real server compares its own last-job time with `idle`
            if (auto gone = co_await sb.destroy(); gone) ++removed;
        }
        co_return removed;
    }
};

//[claude_knowledge_pipeline
asio::awaitable<int> serve(dt::client_options options, example::claude_setup& claude) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};

    // A snapshot with Claude Code pre-installed, built from the image builder's Dockerfile.
    const dt::image img = dt::image::base("node:20-slim")
                              .apt_get({"curl"})
                              .run("npm install -g @anthropic-ai/claude-code")
                              .workdir("/home/daytona");
    dt::snapshot_params sp;
    sp.name = "kp-claude-" + std::to_string(std::time(nullptr));
    sp.dockerfile = img.dockerfile();
    dt::log_callback on_log = [](std::string_view line) {
        std::cerr << "[BUILD] " << line << '\n';
    };
    auto snap = co_await client.snapshots().create(std::move(sp), on_log);
    if (!snap) {
        std::cerr << "snapshot: " << snap.error() << '\n';
        co_return 1;
    }
    pipeline kp{client, claude, snap->name};
    auto sb = co_await kp.sandbox_for("alice");
    if (!sb) {
        std::cerr << "sandbox: " << sb.error() << '\n';
        co_return 1;
    }
    auto session = co_await sb->process().create_session("kp-preflight");
    if (!session || !co_await pipeline::preflight(*session)) {
        std::cerr << "preflight failed\n";
        co_return 1;
    }
    (void)co_await session->destroy();
    (void)co_await sb->process().exec("mkdir -p knowledge");

    // Two jobs; the second continues the first one's conversation (--continue).
    std::string first = co_await kp.job(*sb, "job-1", "Summarise the notes.", false);
    auto again = co_await kp.sandbox_for("alice");  // reused, not created again
    std::string second = co_await kp.job(*again, "job-2", "And the open questions?", true);
    const int removed = co_await kp.clean_up(std::chrono::seconds(0));
    std::cerr << "idle sandboxes removed: " << removed << '\n';
    (void)co_await client.snapshots().destroy(snap->name);

    bool ok = !first.empty() && !second.empty() && again && again->id() == sb->id();
    if (claude.offline)  // the scripted model numbers the turns of a conversation
        ok = ok && first == "[turn 1] Summarise the notes." &&
             second == "[turn 2] And the open questions?" && removed == 1;
    co_return ok ? 0 : 1;
}
//]

}  // namespace

int main() {
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    example::claude_setup claude = example::claude();
    asio::io_context io;
    return dt::run_sync(io, serve(std::move(options), claude));
}
