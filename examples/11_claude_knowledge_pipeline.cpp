// SPDX-License-Identifier: Apache-2.0
// A knowledge-pipeline server's Claude back end: a snapshot with Claude Code pre-installed, one
// sandbox per user made from it (reused across jobs, cleaned up when idle), a preflight, and
// jobs that stream Claude's events as JSON lines (`log`, `result`, `error`, `done`, each with
// sandboxId, jobId and ts). The second job continues the first one's conversation. A sandbox
// is idle when its last activity (Daytona's record or the pipeline's last job in it, whichever
// is later) is older than the limit: bob's sandbox, unused, is removed and alice's kept.
// The program checks its results (the answers, each event line's type and fields, which
// sandboxes the clean-up kept) and exits non-zero when one is wrong.
//
// Daytona is used when DAYTONA_API_KEY is set and Anthropic when ANTHROPIC_API_KEY is;
// otherwise the embedded emulator and a scripted Messages API stand-in.
#include <daytona.hpp>

#include "example_support.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <optional>
#include <vector>

namespace dt = daytona;

namespace {

std::string now_iso() {
    char buf[32];
    const std::time_t t = std::time(nullptr);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

using sys_clock = std::chrono::system_clock;

/// An ISO 8601 UTC time as Daytona sends it ("2026-01-02T03:04:05.678Z"); nullopt otherwise.
std::optional<sys_clock::time_point> parse_iso(std::string_view text) {
    std::tm tm{};
    int ms = 0;
    const std::string s(text);
    const int n = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d", &tm.tm_year, &tm.tm_mon,
                              &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms);
    if (n < 6) return std::nullopt;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return sys_clock::from_time_t(::timegm(&tm)) + std::chrono::milliseconds(n == 7 ? ms : 0);
}

/// Which of the pipeline's sandboxes clean_up() kept and removed (by name).
struct cleanup_report {
    std::vector<std::string> kept, removed;
};

struct pipeline {
    dt::client& client;
    example::claude_setup& claude;
    std::string snapshot;
    /// When each sandbox (by id) last finished a job here.
    std::map<std::string, sys_clock::time_point> last_job{};
    /// Every job event printed, for checking.
    std::vector<std::string> events{};

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
        events.push_back(std::move(line));
    }

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
        last_job[sid] = sys_clock::now();
        (void)co_await sb.refresh_activity();  // Daytona's auto-stop counts from here too
        co_return answer;
    }

    /// Removes the pipeline's sandboxes idle for longer than `idle`: those whose last activity
    /// (Daytona's record, or this pipeline's last job in it, whichever is later) is older.
    asio::awaitable<cleanup_report> clean_up(std::chrono::seconds idle) {
        cleanup_report report;
        dt::list_params filter;
        filter.labels = {{"app", "knowledge-pipeline"}};
        auto page = co_await client.list(std::move(filter));
        if (!page) co_return report;
        const auto now = sys_clock::now();
        for (const auto& sb : page->items) {
            const auto& info = sb.info();
            auto last = parse_iso(info.last_activity_at.value_or(info.created_at))
                            .value_or(sys_clock::time_point{});
            if (auto j = last_job.find(sb.id()); j != last_job.end())
                last = std::max(last, j->second);
            const auto quiet = std::chrono::duration_cast<std::chrono::seconds>(now - last);
            if (quiet <= idle) {
                std::cerr << "keeping " << sb.name() << " (idle " << quiet.count() << " s)\n";
                report.kept.push_back(sb.name());
                continue;
            }
            auto gone = co_await sb.destroy();
            std::cerr << (gone ? "removed " : "cannot remove ") << sb.name() << " (idle "
                      << quiet.count() << " s)\n";
            if (gone) report.removed.push_back(sb.name());
        }
        co_return report;
    }
};

/// Checks the job events: each line a JSON object with a known type, the sandbox's id, a job
/// id and a UTC timestamp; per job, stream events, then one result (or error), then done.
bool check_events(const std::vector<std::string>& lines, const std::string& sandbox_id,
                  const std::vector<std::string>& jobs, bool expect_results) {
    struct seen {
        int logs = 0, results = 0, errors = 0, done = 0;
        bool system = false, result_event = false, after_done = false;
    };
    std::map<std::string, seen> by_job;
    simdjson::dom::parser parser;
    for (const auto& line : lines) {
        simdjson::dom::object o;
        std::string_view type, sid, job, ts, payload;
        if (parser.parse(line).get(o) || o["type"].get(type) || o["sandboxId"].get(sid) ||
            o["jobId"].get(job) || o["ts"].get(ts)) {
            std::cerr << "malformed event: " << line << '\n';
            return false;
        }
        const bool iso = ts.size() == 20 && ts[4] == '-' && ts[10] == 'T' && ts[19] == 'Z' &&
                         parse_iso(ts).has_value();
        if (sid != sandbox_id || !iso || std::find(jobs.begin(), jobs.end(), job) == jobs.end()) {
            std::cerr << "unexpected sandboxId, jobId or ts: " << line << '\n';
            return false;
        }
        seen& s = by_job[std::string(job)];
        if (s.done) s.after_done = true;
        const char* field = type == "log"      ? "event"
                            : type == "result" ? "result"
                            : type == "error"  ? "message"
                                               : nullptr;
        if (type == "done") {
            ++s.done;
            if (o.size() != 4) {
                std::cerr << "done carries more than its four fields: " << line << '\n';
                return false;
            }
            continue;
        }
        if (!field || o[field].get(payload)) {
            std::cerr << "unknown type or missing field: " << line << '\n';
            return false;
        }
        if (type == "log") {
            ++s.logs;
            s.system = s.system || payload == "system";
            s.result_event = s.result_event || payload == "result";
        }
        s.results += type == "result";
        s.errors += type == "error";
    }
    for (const auto& job : jobs) {
        const seen& s = by_job[job];
        bool ok = s.done == 1 && !s.after_done && s.results + s.errors == 1;
        if (expect_results) ok = ok && s.results == 1 && s.system && s.result_event;
        if (!ok) {
            std::cerr << job << ": expected stream events, one result and done last (" << s.logs
                      << " logs, " << s.results << " results, " << s.errors << " errors, " << s.done
                      << " done)\n";
            return false;
        }
    }
    return true;
}

//[claude_knowledge_pipeline
asio::awaitable<int> serve(dt::client_options options, example::claude_setup& claude) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};

    // A snapshot with Claude Code pre-installed, built with the image builder.
    const dt::image img = dt::image::base("node:20-slim")
                              .apt_get({"curl"})
                              .run("npm install -g @anthropic-ai/claude-code")
                              .workdir("/home/daytona");
    const std::string snapshot_name = "kp-claude-" + std::to_string(std::time(nullptr));
    dt::log_callback on_log = [](std::string_view line) {
        std::cerr << "[BUILD] " << line << '\n';
    };
    auto snap = co_await client.snapshots().create(snapshot_name, img, on_log);
    if (!snap) {
        std::cerr << "snapshot: " << snap.error() << '\n';
        co_return 1;
    }
    pipeline kp{client, claude, snap->name};
    auto sb = co_await kp.sandbox_for("alice");
    auto other = co_await kp.sandbox_for("bob");  // bob runs no job: idle from here on
    if (!sb || !other) {
        std::cerr << "sandbox: " << (sb ? other.error() : sb.error()) << '\n';
        co_return 1;
    }
    const auto bob_since = sys_clock::now();
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

    // Idle clean-up (a short limit for the demonstration; a server would use minutes): bob's
    // sandbox has been idle longer than that, alice's has just finished a job.
    const auto idle = std::chrono::seconds(2);
    asio::steady_timer pause(ex, bob_since + idle + std::chrono::seconds(1) - sys_clock::now());
    co_await pause.async_wait(asio::use_awaitable);
    const cleanup_report cleaned = co_await kp.clean_up(idle);
    (void)co_await sb->destroy();
    (void)co_await client.snapshots().destroy(snap->name);

    bool ok = !first.empty() && !second.empty() && again && again->id() == sb->id();
    ok = check_events(kp.events, sb->id(), {"job-1", "job-2"}, true) && ok;
    if (claude.offline) {  // the scripted model numbers the turns of a conversation
        ok = ok && first == "[turn 1] Summarise the notes." &&
             second == "[turn 2] And the open questions?";
        const bool idle_ok = cleaned.kept == std::vector<std::string>{"kp-alice"} &&
                             cleaned.removed == std::vector<std::string>{"kp-bob"};
        if (!idle_ok) std::cerr << "expected kp-alice kept and kp-bob removed\n";
        ok = ok && idle_ok;
    }
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
