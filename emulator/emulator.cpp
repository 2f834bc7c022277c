// SPDX-License-Identifier: Apache-2.0
// Routes of the emulated Daytona API (/api/...) and toolbox (/toolbox/{id}/...).
#include "emulator.hpp"

#include "http_server.hpp"
#include "process_runner.hpp"
#include "store.hpp"

#include <daytona/detail/percent.hpp>
#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>
#include <daytona/models/sandbox.hpp>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <random>

namespace daytona::emulator {

namespace impl {

std::string now_iso() {
    using namespace std::chrono;
    auto now = system_clock::now();
    auto secs = system_clock::to_time_t(now);
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[40];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
    return out;
}

std::string new_uuid() {
    thread_local std::mt19937_64 gen{std::random_device{}()};
    std::uint64_t a = gen(), b = gen();
    a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
    b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 1
    char buf[37];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                  static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff),
                  static_cast<unsigned>(b >> 48),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    return buf;
}

/// Replaces bytes that are not valid UTF-8 with U+FFFD, as Go's encoding/json does for the
/// real daemon; JSON text must be UTF-8 and clients (simdjson) reject anything else.
std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xe  ? 3
                          : (c >> 3) == 0x1e ? 4
                                             : 0;
        bool ok = len != 0 && i + len <= s.size();
        for (std::size_t k = 1; ok && k < len; ++k)
            ok = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
        if (ok && len > 1) {
            // Reject overlong forms, surrogates and code points above U+10FFFF.
            std::uint32_t cp = len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
            for (std::size_t k = 1; k < len; ++k)
                cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
            ok = !((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
                   (len == 4 && cp < 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff);
        }
        if (ok) {
            out.append(s.substr(i, len));
            i += len;
        } else {
            out.append("\xEF\xBF\xBD");
            ++i;
        }
    }
    return out;
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> segs;
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        auto slash = path.find('/');
        auto raw = path.substr(0, slash);
        segs.push_back(detail::percent_decode(raw).value_or(std::string(raw)));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash);
    }
    return segs;
}

bool valid_env_name(std::string_view k) {
    if (k.empty() || (k.front() >= '0' && k.front() <= '9')) return false;
    for (char c : k)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    return true;
}

/// CreateSandbox as the emulator reads it.
struct create_body {
    std::optional<std::string> name, snapshot, user, target, network_allow_list, domain_allow_list;
    std::map<std::string, std::string> env, labels;
    std::optional<bool> is_public, network_block_all;
    std::optional<double> cpu, gpu, memory, disk;
    std::optional<int> auto_stop, auto_archive, auto_delete;
    std::vector<volume_mount> volumes;
    std::optional<sandbox_build_info> build_info;
};

void decode_value(json::value& v, create_body& out, json::decoder& d) {
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "name")
            d.field(key, val, out.name);
        else if (key == "snapshot")
            d.field(key, val, out.snapshot);
        else if (key == "user")
            d.field(key, val, out.user);
        else if (key == "target")
            d.field(key, val, out.target);
        else if (key == "env")
            d.field(key, val, out.env);
        else if (key == "labels")
            d.field(key, val, out.labels);
        else if (key == "public")
            d.field(key, val, out.is_public);
        else if (key == "networkBlockAll")
            d.field(key, val, out.network_block_all);
        else if (key == "networkAllowList")
            d.field(key, val, out.network_allow_list);
        else if (key == "domainAllowList")
            d.field(key, val, out.domain_allow_list);
        else if (key == "cpu")
            d.field(key, val, out.cpu);
        else if (key == "gpu")
            d.field(key, val, out.gpu);
        else if (key == "memory")
            d.field(key, val, out.memory);
        else if (key == "disk")
            d.field(key, val, out.disk);
        else if (key == "autoStopInterval")
            d.field(key, val, out.auto_stop);
        else if (key == "autoArchiveInterval")
            d.field(key, val, out.auto_archive);
        else if (key == "autoDeleteInterval")
            d.field(key, val, out.auto_delete);
        else if (key == "volumes")
            d.field(key, val, out.volumes);
        else if (key == "buildInfo")
            d.field(key, val, out.build_info);
    });
}

/// ExecuteRequest as the emulator reads it.
struct execute_body {
    std::string command;
    std::optional<std::string> cwd;
    std::map<std::string, std::string> envs;
    std::optional<std::int64_t> timeout;
};

void decode_value(json::value& v, execute_body& out, json::decoder& d) {
    d.each_field(v, "object", [&](std::string_view key, json::value& val) {
        if (key == "command")
            d.field(key, val, out.command);
        else if (key == "cwd")
            d.field(key, val, out.cwd);
        else if (key == "envs")
            d.field(key, val, out.envs);
        else if (key == "timeout")
            d.field(key, val, out.timeout);
    });
}

reply json_reply(int status, std::string body) {
    reply r;
    r.status = status;
    r.headers.add("Content-Type", "application/json; charset=utf-8");
    r.body = std::move(body);
    return r;
}

}  // namespace impl
using namespace impl;

/// The Daytona routes. One instance serves every connection (its state is thread-safe).
class service final : public handler {
public:
    service(emulator_options opts, fs::path data_dir, bool tls)
        : opts_(std::move(opts)), store_(std::move(data_dir)), tls_(tls) {}

    asio::awaitable<void> handle(exchange& ex) override {
        const auto segs = split_path(ex.path());
        if (opts_.verbose)
            std::cerr << "daytona-emulator: " << ex.request().method << ' ' << ex.request().target
                      << '\n';
        if (!segs.empty() && segs[0] == "api") {
            co_await api(ex, segs);
        } else if (!segs.empty() && segs[0] == "toolbox") {
            co_await toolbox(ex, segs);
        } else {
            co_await send(
                ex,
                api_error(ex, 404, "Cannot " + ex.request().method + " " + std::string(ex.path())));
        }
    }

private:
    // --- shapes of errors (REFERENCE.md §3.1, §3.2) ---

    static reply api_error(const exchange& ex, int status, std::string message) {
        std::string body;
        json::writer w(body);
        w.begin_object()
            .member("path", std::string(ex.path()))
            .member("timestamp", now_iso())
            .member("statusCode", status)
            .member("error", std::string(http_reason_phrase(status)))
            .member("message", message)
            .end_object();
        return json_reply(status, std::move(body));
    }

    static reply toolbox_error(const exchange& ex, int status, std::string_view code,
                               std::string message, std::string_view source = "DAYTONA_DAEMON") {
        std::string body;
        json::writer w(body);
        w.begin_object()
            .member("statusCode", status)
            .member("message", message)
            .member("code", code)
            .member("timestamp", now_iso())
            .member("path", std::string(ex.path()))
            .member("method", ex.request().method)
            .member("source", source)
            .end_object();
        return json_reply(status, std::move(body));
    }

    static asio::awaitable<void> send(exchange& ex, reply r) {
        if (auto w = co_await ex.respond(std::move(r)); !w) ex.close_after();
    }

    bool authorized(const exchange& ex) const {
        auto h = ex.request().headers.get("authorization");
        constexpr std::string_view bearer = "Bearer ";
        if (h.size() <= bearer.size() || !detail::iequals(h.substr(0, bearer.size()), bearer))
            return false;
        auto token = detail::trim(h.substr(bearer.size()));
        if (token.empty()) return false;
        return opts_.api_key.empty() || token == opts_.api_key;
    }

    /// "http://host:port" as the client addressed us, for URLs we hand out.
    std::string origin_of(const exchange& ex) const {
        std::string host(ex.request().headers.get("host"));
        bool ok = !host.empty();
        for (char c : host)
            ok =
                ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == ':' || c == '[' || c == ']');
        if (!ok) host = opts_.bind_address + ":" + std::to_string(port_);
        return std::string(tls_ ? "https://" : "http://") + host;
    }

    std::string sandbox_json(const exchange& ex, sandbox_info info) const {
        info.toolbox_proxy_url = origin_of(ex) + "/toolbox";
        std::string out;
        write_sandbox_json(out, info);
        return out;
    }

    /// Reads a JSON body into T; on failure answers 400/413 (in the API or toolbox shape).
    template <class T>
    asio::awaitable<std::optional<T>> read_json(exchange& ex, bool toolbox_shape) {
        auto r = co_await ex.read_body();
        if (!r) {
            const bool too_large = r.error() == errc::body_too_large;
            int status = too_large ? 413 : 400;
            ex.close_after();
            co_await send(
                ex, toolbox_shape
                        ? toolbox_error(ex, status, too_large ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST",
                                        r.error().message())
                        : api_error(ex, status, r.error().message()));
            co_return std::nullopt;
        }
        auto& body = ex.request().body;
        if (detail::trim(body).empty()) body = "{}";
        auto decoded = json::decode<T>(body, "body");
        if (!decoded) {
            co_await send(ex, toolbox_shape ? toolbox_error(ex, 400, "INVALID_REQUEST_BODY",
                                                            decoded.error().message())
                                            : api_error(ex, 400, decoded.error().message()));
            co_return std::nullopt;
        }
        co_return std::move(*decoded);
    }

    // --- /api ---

    asio::awaitable<void> api(exchange& ex, const std::vector<std::string>& segs) {
        const auto& method = ex.request().method;
        if (segs.size() == 2 && segs[1] == "health" && method == "GET") {
            co_return co_await send(ex, json_reply(200, R"({"status":"ok"})"));
        }
        if (segs.size() == 2 && segs[1] == "config" && method == "GET") {
            std::string body;
            json::writer w(body);
            auto origin = origin_of(ex);
            w.begin_object()
                .member("version", "emulator")
                .member("proxyToolboxUrl", origin + "/toolbox")
                .member("proxyTemplateUrl", origin + "/preview/{{PORT}}/{{sandboxId}}")
                .member("defaultSnapshot", "daytona-emulator")
                .member("maxAutoArchiveInterval", 43200)
                .member("maintananceMode", false)
                .end_object();
            co_return co_await send(ex, json_reply(200, std::move(body)));
        }
        if (!authorized(ex)) {
            co_return co_await send(ex, api_error(ex, 401, "Unauthorized"));
        }
        if (segs.size() >= 2 && segs[1] == "sandbox") {
            if (segs.size() == 2 && method == "POST") co_return co_await create_sandbox(ex);
            if (segs.size() == 2 && method == "GET") co_return co_await list_sandboxes(ex);
            if (segs.size() == 3 && method == "GET") co_return co_await get_sandbox(ex, segs[2]);
            if (segs.size() == 3 && method == "DELETE")
                co_return co_await delete_sandbox(ex, segs[2]);
            if (segs.size() == 4 && segs[3] == "toolbox-proxy-url" && method == "GET") {
                auto rec = store_.find(segs[2]);
                if (!rec) co_return co_await not_found(ex, segs[2]);
                std::string body;
                json::writer(body)
                    .begin_object()
                    .member("url", origin_of(ex) + "/toolbox")
                    .end_object();
                co_return co_await send(ex, json_reply(200, std::move(body)));
            }
        }
        co_await send(ex, api_error(ex, 404, "Cannot " + method + " " + std::string(ex.path())));
    }

    asio::awaitable<void> not_found(exchange& ex, const std::string& id) {
        co_await send(ex, api_error(ex, 404, "Sandbox with ID or name " + id + " not found"));
    }

    asio::awaitable<void> create_sandbox(exchange& ex) {
        auto body = co_await read_json<create_body>(ex, false);
        if (!body) co_return;
        for (const auto& [k, v] : body->env)
            if (!valid_env_name(k))
                co_return co_await send(
                    ex, api_error(ex, 400, "invalid environment variable name: " + k));
        if (body->auto_stop && *body->auto_stop < 0)
            co_return co_await send(ex,
                                    api_error(ex, 400, "autoStopInterval must not be negative"));
        if (body->name && body->name->empty())
            co_return co_await send(ex, api_error(ex, 400, "name must not be empty"));
        const auto now = now_iso();
        sandbox_record rec;
        auto& s = rec.info;
        s.id = new_uuid();
        s.organization_id = "emulator-organization";
        s.name = body->name.value_or(s.id);
        s.user = body->user.value_or("daytona");
        s.env = std::move(body->env);
        s.labels = std::move(body->labels);
        s.is_public = body->is_public.value_or(false);
        s.network_block_all = body->network_block_all.value_or(false);
        s.network_allow_list = body->network_allow_list;
        s.domain_allow_list = body->domain_allow_list;
        s.target = body->target.value_or("us");
        s.cpu = body->cpu.value_or(1);
        s.gpu = body->gpu.value_or(0);
        s.memory = body->memory.value_or(1);
        s.disk = body->disk.value_or(3);
        s.auto_stop_interval = body->auto_stop.value_or(15);
        s.auto_archive_interval = body->auto_archive.value_or(10080);
        s.auto_delete_interval = body->auto_delete.value_or(-1);
        s.volumes = std::move(body->volumes);
        if (body->build_info) {
            s.build_info = std::move(body->build_info);
            s.build_info->created_at = s.build_info->updated_at = now;
            s.build_info->snapshot_ref = "emulator-build-" + s.id;
        } else {
            s.snapshot = body->snapshot.value_or("daytona-emulator");
        }
        // Creation is immediate here, so the SDKs need no extra poll (REFERENCE.md §4.4).
        s.state = sandbox_state::started;
        s.state_name = "started";
        s.desired_state = "started";
        s.backup_state = "None";
        s.created_at = s.updated_at = now;
        s.last_activity_at = now;
        s.sandbox_class = "container";
        s.daemon_version = "emulator";
        rec.dir = store_.data_dir() / "sandboxes" / s.id;
        std::string why;
        auto info = s;
        if (!store_.insert(std::move(rec), &why)) {
            co_return co_await send(
                ex,
                api_error(ex, why.find("already exists") != std::string::npos ? 409 : 500, why));
        }
        co_await send(ex, json_reply(200, sandbox_json(ex, std::move(info))));
    }

    asio::awaitable<void> get_sandbox(exchange& ex, const std::string& id) {
        auto rec = store_.find(id);
        if (!rec) co_return co_await not_found(ex, id);
        co_await send(ex, json_reply(200, sandbox_json(ex, std::move(rec->info))));
    }

    asio::awaitable<void> delete_sandbox(exchange& ex, const std::string& id) {
        auto rec = store_.find(id);
        if (!rec) co_return co_await not_found(ex, id);
        store_.erase(rec->info.id);
        rec->info.state = sandbox_state::destroyed;
        rec->info.state_name = "destroyed";
        rec->info.desired_state = "destroyed";
        co_await send(ex, json_reply(200, sandbox_json(ex, std::move(rec->info))));
    }

    asio::awaitable<void> list_sandboxes(exchange& ex) {
        auto records = store_.all();
        std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
            return std::tie(a.info.created_at, a.info.id) < std::tie(b.info.created_at, b.info.id);
        });
        std::map<std::string, std::string> want_labels;
        if (auto labels = ex.query_param("labels")) {
            auto decoded = json::decode<std::map<std::string, std::string>>(
                std::string_view(*labels), "labels");
            if (!decoded)
                co_return co_await send(
                    ex, api_error(ex, 400, "labels must be a JSON object of strings"));
            want_labels = std::move(*decoded);
        }
        auto states = ex.query_params("states");
        std::size_t limit = 100, offset = 0;
        if (auto l = ex.query_param("limit")) {
            auto v = detail::parse_uint<std::size_t>(*l);
            if (!v || *v == 0 || *v > 1000)
                co_return co_await send(ex, api_error(ex, 400, "limit must be between 1 and 1000"));
            limit = *v;
        }
        if (auto c = ex.query_param("cursor"); c && !c->empty()) {
            auto v = detail::parse_uint<std::size_t>(*c);
            if (!v) co_return co_await send(ex, api_error(ex, 400, "invalid cursor"));
            offset = *v;
        }
        std::vector<const sandbox_record*> matched;
        for (const auto& r : records) {
            bool ok = true;
            for (const auto& [k, v] : want_labels) {
                auto it = r.info.labels.find(k);
                ok = ok && it != r.info.labels.end() && it->second == v;
            }
            if (!states.empty())
                ok = ok &&
                     std::find(states.begin(), states.end(), r.info.state_name) != states.end();
            if (ok) matched.push_back(&r);
        }
        std::string body;
        json::writer w(body);
        w.begin_object().key("items").begin_array();
        std::size_t end = std::min(matched.size(), offset + limit);
        for (std::size_t i = offset; i < end; ++i)
            w.raw(sandbox_json(ex, matched[i]->info));
        w.end_array().key("nextCursor");
        if (end < matched.size())
            w.value(std::to_string(end));
        else
            w.null();
        w.end_object();
        co_await send(ex, json_reply(200, std::move(body)));
    }

    // --- /toolbox/{sandboxId}/... ---

    asio::awaitable<void> toolbox(exchange& ex, const std::vector<std::string>& segs) {
        if (!authorized(ex))
            co_return co_await send(
                ex, toolbox_error(ex, 401, "UNAUTHORIZED", "Unauthorized", "DAYTONA_PROXY"));
        if (segs.size() < 2)
            co_return co_await send(
                ex, toolbox_error(ex, 404, "NOT_FOUND", "sandbox id missing", "DAYTONA_PROXY"));
        auto rec = store_.find(segs[1]);
        if (!rec)
            co_return co_await send(
                ex, toolbox_error(ex, 404, "NOT_FOUND", "sandbox " + segs[1] + " not found",
                                  "DAYTONA_PROXY"));
        if (rec->info.state != sandbox_state::started)
            co_return co_await send(
                ex, toolbox_error(ex, 409, "CONFLICT",
                                  "sandbox " + rec->info.id + " is not started (state " +
                                      rec->info.state_name + ")",
                                  "DAYTONA_PROXY"));
        std::vector<std::string> rest(segs.begin() + 2, segs.end());
        const auto& method = ex.request().method;
        if (rest == std::vector<std::string>{"process", "execute"} && method == "POST")
            co_return co_await execute(ex, *rec);
        co_await send(ex, toolbox_error(ex, 404, "NOT_FOUND",
                                        "no route " + method + " " + std::string(ex.path())));
    }

    /// A sandbox path (absolute, or relative to the home directory) mapped into the sandbox's
    /// root; nullopt if it would leave it.
    static std::optional<fs::path> map_path(const sandbox_record& rec, std::string_view p) {
        fs::path root = rec.root();
        fs::path candidate;
        if (!p.empty() && p.front() == '/')
            candidate = root / fs::path(p).relative_path();
        else
            candidate = rec.home() / fs::path(p);
        candidate = candidate.lexically_normal();
        auto rel = candidate.lexically_relative(root);
        if (rel.empty() || *rel.begin() == "..") return std::nullopt;
        return candidate;
    }

    std::vector<std::string> environment_for(
        const sandbox_record& rec, const std::map<std::string, std::string>& extra) const {
        std::map<std::string, std::string> env;
        const char* path = std::getenv("PATH");
        env["PATH"] = path ? path : "/usr/local/bin:/usr/bin:/bin";
        env["HOME"] = rec.home().string();
        env["USER"] = env["LOGNAME"] = rec.info.user.empty() ? "daytona" : rec.info.user;
        env["SHELL"] = "/bin/sh";
        env["LANG"] = "C.UTF-8";
        env["HOSTNAME"] = rec.info.name;
        env["DAYTONA_SANDBOX_ID"] = rec.info.id;
        env["DAYTONA_SANDBOX_ROOT"] = rec.root().string();
        for (const auto& [k, v] : rec.info.env)
            env[k] = v;
        for (const auto& [k, v] : extra)
            env[k] = v;
        std::vector<std::string> out;
        out.reserve(env.size());
        for (auto& [k, v] : env)
            out.push_back(k + "=" + v);
        return out;
    }

    asio::awaitable<void> execute(exchange& ex, sandbox_record rec) {
        auto body = co_await read_json<execute_body>(ex, true);
        if (!body) co_return;
        if (detail::trim(body->command).empty())
            co_return co_await send(ex,
                                    toolbox_error(ex, 400, "BAD_REQUEST", "command is required"));
        for (const auto& [k, v] : body->envs)
            if (!valid_env_name(k))
                co_return co_await send(ex,
                                        toolbox_error(ex, 400, "BAD_REQUEST",
                                                      "invalid environment variable name: " + k));
        if (body->timeout && *body->timeout < 0)
            co_return co_await send(
                ex, toolbox_error(ex, 400, "BAD_REQUEST", "timeout must not be negative"));
        auto cwd = map_path(rec, body->cwd.value_or(""));
        if (!cwd)
            co_return co_await send(ex, toolbox_error(ex, 400, "INVALID_FILE_PATH",
                                                      "cwd is outside the sandbox: " + *body->cwd));
        run_spec spec;
        spec.command = std::move(body->command);
        spec.cwd = *cwd;
        spec.env = environment_for(rec, body->envs);
        spec.timeout = std::chrono::seconds(body->timeout.value_or(0));
        auto outcome = co_await run_command(std::move(spec));
        if (outcome.timed_out)
            co_return co_await send(
                ex, toolbox_error(ex, 408, "REQUEST_TIMEOUT", "command execution timeout"));
        std::string out;
        json::writer w(out);
        w.begin_object()
            .member("exitCode", outcome.spawn_failed ? -1 : outcome.exit_code)
            .member("result", valid_utf8(outcome.output))
            .end_object();
        co_await send(ex, json_reply(200, std::move(out)));
    }

    emulator_options opts_;
    store store_;
    bool tls_ = false;

public:
    std::uint16_t port_ = 0;
};

emulator::emulator(emulator_options opts) : opts_(std::move(opts)) {}

emulator::~emulator() {
    stop();
}

result<void> emulator::start() {
    if (server_) return {};
    std::error_code ec;
    if (opts_.data_dir.empty()) {
        std::string tmpl = (fs::temp_directory_path(ec) / "daytona-emulator-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr)
            return error(make_error_code(errc::io_error),
                         "cannot create a temporary data directory");
        data_dir_ = tmpl;
        owns_data_dir_ = true;
    } else {
        data_dir_ = opts_.data_dir;
        fs::create_directories(data_dir_, ec);
        if (ec)
            return error(
                make_error_code(errc::io_error),
                "cannot create data directory " + data_dir_.string() + ": " + ec.message());
    }
    const bool tls = !opts_.tls_cert_file.empty();
    service_ = std::make_shared<service>(opts_, data_dir_, tls);
    server_options so;
    so.bind_address = opts_.bind_address;
    so.port = opts_.port;
    so.threads = opts_.threads;
    so.tls_cert_file = opts_.tls_cert_file;
    so.tls_key_file = opts_.tls_key_file;
    server_ = std::make_unique<http_server>(so, service_);
    auto port = server_->start();
    if (!port) {
        server_.reset();
        return std::move(port).error();
    }
    service_->port_ = *port;
    return {};
}

void emulator::stop() {
    if (server_) server_->stop();
    server_.reset();
    service_.reset();
    if (owns_data_dir_) {
        std::error_code ec;
        fs::remove_all(data_dir_, ec);
        owns_data_dir_ = false;
    }
}

std::uint16_t emulator::port() const noexcept {
    return server_ ? server_->port() : 0;
}

std::string emulator::base_url() const {
    return std::string(opts_.tls_cert_file.empty() ? "http://" : "https://") + opts_.bind_address +
           ":" + std::to_string(port());
}

}  // namespace daytona::emulator
