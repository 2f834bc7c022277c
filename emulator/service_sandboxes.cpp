// SPDX-License-Identifier: Apache-2.0
// /api/sandbox/...: create, list, get, the lifecycle state machine (REFERENCE.md §4.2), settings,
// URLs handed to clients, and the build-log stream.
#include "service.hpp"

#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>

#include <algorithm>
#include <sstream>

namespace daytona::emulator {

namespace sandboxes_impl {

/// CreateSandbox as the emulator reads it (unknown fields are ignored, as the API does).
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
    d.object(v, "object", json::into("name", out.name), json::into("snapshot", out.snapshot),
             json::into("user", out.user), json::into("target", out.target),
             json::into("env", out.env), json::into("labels", out.labels),
             json::into("public", out.is_public),
             json::into("networkBlockAll", out.network_block_all),
             json::into("networkAllowList", out.network_allow_list),
             json::into("domainAllowList", out.domain_allow_list), json::into("cpu", out.cpu),
             json::into("gpu", out.gpu), json::into("memory", out.memory),
             json::into("disk", out.disk), json::into("autoStopInterval", out.auto_stop),
             json::into("autoArchiveInterval", out.auto_archive),
             json::into("autoDeleteInterval", out.auto_delete), json::into("volumes", out.volumes),
             json::into("buildInfo", out.build_info));
}

struct resize_body {
    std::optional<double> cpu, memory, disk, gpu;
};

void decode_value(json::value& v, resize_body& out, json::decoder& d) {
    d.object(v, "object", json::into("cpu", out.cpu), json::into("memory", out.memory),
             json::into("disk", out.disk), json::into("gpu", out.gpu));
}

struct labels_body {
    std::map<std::string, std::string> labels;
    bool has_labels = false;
};

void decode_value(json::value& v, labels_body& out, json::decoder& d) {
    d.object(v, "object", json::into("labels", out.labels, &out.has_labels));
}

struct network_body {
    std::optional<bool> block_all;
    std::optional<std::string> allow_list, domain_allow_list;
};

void decode_value(json::value& v, network_body& out, json::decoder& d) {
    d.object(v, "object", json::into("networkBlockAll", out.block_all),
             json::into("networkAllowList", out.allow_list),
             json::into("domainAllowList", out.domain_allow_list));
}

/// Marks a Dockerfile whose emulated build must fail (lets tests reach `build_failed`).
constexpr std::string_view build_fail_marker = "EMULATOR_BUILD_FAIL";
/// A label that makes a new sandbox land in a recoverable `error` state (for recover()).
constexpr std::string_view fail_label = "daytona-emulator/fail";

void set_state(sandbox_info& s, std::string_view name) {
    s.state_name = std::string(name);
    s.state = sandbox_state_from_string(name);
    s.updated_at = iso_time();
}

std::optional<int> parse_int(std::string_view s) {
    if (s.empty()) return std::nullopt;
    bool negative = s.front() == '-';
    if (negative) s.remove_prefix(1);
    auto v = detail::parse_uint<unsigned>(s);
    if (!v || *v > 1'000'000'000u) return std::nullopt;
    return negative ? -static_cast<int>(*v) : static_cast<int>(*v);
}

/// The emulated build's log: one step per Dockerfile instruction. Nothing is executed.
std::vector<std::string> build_log_lines(std::string_view dockerfile) {
    std::vector<std::string> steps;
    std::istringstream in{std::string(dockerfile)};
    for (std::string line; std::getline(in, line);) {
        auto t = detail::trim(line);
        if (!t.empty() && t.front() != '#') steps.emplace_back(t);
    }
    std::vector<std::string> out;
    out.push_back("daytona-emulator: emulated build (the Dockerfile is recorded, not executed)");
    for (std::size_t i = 0; i < steps.size(); ++i) {
        out.push_back("Step " + std::to_string(i + 1) + "/" + std::to_string(steps.size()) + " : " +
                      steps[i]);
        if (steps[i].find(build_fail_marker) != std::string::npos) {
            out.push_back("ERROR: step failed (" + std::string(build_fail_marker) + ")");
            return out;
        }
        out.push_back(" ---> done");
    }
    out.push_back("Successfully built emulated snapshot");
    return out;
}

}  // namespace sandboxes_impl
using namespace sandboxes_impl;

bool transitional(sandbox_state s) {
    switch (s) {
        case sandbox_state::creating:
        case sandbox_state::restoring:
        case sandbox_state::destroying:
        case sandbox_state::starting:
        case sandbox_state::stopping:
        case sandbox_state::pending_build:
        case sandbox_state::building_snapshot:
        case sandbox_state::pulling_snapshot:
        case sandbox_state::archiving:
        case sandbox_state::resizing:
        case sandbox_state::snapshotting:
        case sandbox_state::forking:
        case sandbox_state::pausing:
        case sandbox_state::resuming:
            return true;
        default:
            return false;
    }
}

std::string service::sandbox_json(const exchange& ex, sandbox_info info, bool list_item) const {
    info.toolbox_proxy_url = origin_of(ex) + "/toolbox";
    std::string out;
    json::writer w(out);
    write_sandbox_json(w, info, list_item);
    return out;
}

asio::awaitable<void> service::sandbox_reply(exchange& ex, const sandbox_info& info, int status) {
    co_await send(ex, json_reply(status, sandbox_json(ex, info)));
}

asio::awaitable<void> service::sandbox_not_found(exchange& ex, const std::string& id) {
    co_await send(ex, api_error(ex, 404, "Sandbox with ID or name " + id + " not found"));
}

std::uint64_t service::begin_transition(const std::string& id) {
    std::lock_guard lock(transitions_mu_);
    return ++transitions_[id];
}

bool service::transition_current(const std::string& id, std::uint64_t generation) {
    std::lock_guard lock(transitions_mu_);
    auto it = transitions_.find(id);
    return it != transitions_.end() && it->second == generation;
}

std::optional<sandbox_info> service::apply_state(const std::string& id, const state_step& step) {
    if (step.state == "stopped" || step.state == "stopping" || step.state == "archived" ||
        step.state == "destroying")
        forget_runtime(id);  // stopping a sandbox ends its processes
    if (step.state == "destroyed") {
        forget_runtime(id);
        auto rec = store_.find(id);
        store_.erase(id);
        {
            std::lock_guard lock(transitions_mu_);
            transitions_.erase(id);
        }
        if (!rec) return std::nullopt;
        set_state(rec->info, "destroyed");
        rec->info.desired_state = "destroyed";
        return rec->info;
    }
    return store_.modify(id, [&](sandbox_info& s) {
        set_state(s, step.state);
        if (!step.desired.empty()) s.desired_state = step.desired;
        if (step.error_reason)
            s.error_reason = *step.error_reason;
        else if (step.state != "error" && step.state != "build_failed")
            s.error_reason.reset();
        s.recoverable = step.recoverable;
    });
}

std::optional<sandbox_info> service::transition(const asio::any_io_executor& exec,
                                                const std::string& id,
                                                std::vector<state_step> path) {
    if (path.empty()) {
        auto rec = store_.find(id);
        return rec ? std::optional<sandbox_info>(rec->info) : std::nullopt;
    }
    const auto generation = begin_transition(id);
    if (opts_.state_delay.count() == 0) {
        std::optional<sandbox_info> last;
        for (const auto& step : path)
            last = apply_state(id, step);
        return last;
    }
    auto first = apply_state(id, path.front());
    path.erase(path.begin());
    if (!path.empty())
        asio::co_spawn(exec,
                       walk_states(id, generation, first ? first->state_name : "", std::move(path)),
                       asio::detached);
    return first;
}

std::chrono::milliseconds service::dwell(std::string_view state) const {
    // A build takes longer than a state change (long enough for the SDKs' 1 s polls to see it
    // and follow its log).
    const bool build = state == "building_snapshot" || state == "building" || state == "pulling";
    return opts_.state_delay * (build ? 4 : 1);
}

asio::awaitable<void> service::walk_states(std::string id, std::uint64_t generation,
                                           std::string current, std::vector<state_step> path) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (const auto& step : path) {
        timer.expires_after(dwell(current));
        current = step.state;
        std::error_code ec;
        co_await timer.async_wait(net::redirect(ec));
        // A newer request (a delete during a start, say) has taken over this sandbox.
        if (ec || !transition_current(id, generation)) co_return;
        apply_state(id, step);
    }
}

asio::awaitable<void> service::sandbox_routes(exchange& ex, const segments& segs) {
    const auto& method = ex.request().method;
    if (segs.size() == 2 && method == "POST") co_return co_await create_sandbox(ex);
    if (segs.size() == 2 && method == "GET") co_return co_await list_sandboxes(ex);
    if (segs.size() < 3)
        co_return co_await send(
            ex, api_error(ex, 404, "Cannot " + method + " " + std::string(ex.path())));
    auto rec = store_.find(segs[2]);
    if (!rec) co_return co_await sandbox_not_found(ex, segs[2]);
    if (segs.size() == 3 && method == "GET") co_return co_await sandbox_reply(ex, rec->info);
    if (segs.size() == 3 && method == "DELETE") {
        state_step destroying{"destroying", "destroyed"};
        state_step destroyed{"destroyed", "destroyed"};
        std::vector<state_step> path{destroying, destroyed};
        auto info = transition(ex.stream().get_executor(), rec->info.id, std::move(path));
        if (!info) co_return co_await sandbox_not_found(ex, segs[2]);
        co_return co_await sandbox_reply(ex, *info);
    }
    if (segs.size() == 4 && method == "POST" &&
        (segs[3] == "start" || segs[3] == "stop" || segs[3] == "archive" || segs[3] == "recover"))
        co_return co_await lifecycle(ex, *rec, segs[3]);
    if (segs.size() == 4 && method == "POST" && segs[3] == "resize")
        co_return co_await resize(ex, *rec);
    if (segs.size() == 4 && method == "PUT" && segs[3] == "labels") {
        auto body = co_await read_json<labels_body>(ex, false);
        if (!body) co_return;
        if (!body->has_labels)
            co_return co_await send(ex, api_error(ex, 400, "labels is required"));
        auto info = store_.modify(rec->info.id, [&](sandbox_info& s) {
            s.labels = body->labels;
            s.updated_at = iso_time();
        });
        if (!info) co_return co_await sandbox_not_found(ex, segs[2]);
        std::string out;
        json::writer w(out);
        w.begin_object().member("labels", info->labels).end_object();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    }
    if (segs.size() == 5 && method == "POST" &&
        (segs[3] == "autostop" || segs[3] == "autoarchive" || segs[3] == "autodelete" ||
         segs[3] == "public"))
        co_return co_await setting(ex, *rec, segs[3], segs[4]);
    if (segs.size() == 4 && method == "POST" && segs[3] == "network-settings") {
        auto body = co_await read_json<network_body>(ex, false);
        if (!body) co_return;
        if (!body->block_all && !body->allow_list && !body->domain_allow_list)
            co_return co_await send(ex,
                                    api_error(ex, 400, "at least one network setting is required"));
        auto info = store_.modify(rec->info.id, [&](sandbox_info& s) {
            if (body->block_all) s.network_block_all = *body->block_all;
            if (body->allow_list) s.network_allow_list = body->allow_list;
            if (body->domain_allow_list) s.domain_allow_list = body->domain_allow_list;
            s.updated_at = iso_time();
        });
        if (!info) co_return co_await sandbox_not_found(ex, segs[2]);
        co_return co_await sandbox_reply(ex, *info);
    }
    if (segs.size() == 4 && method == "POST" && segs[3] == "last-activity") {
        store_.modify(rec->info.id, [](sandbox_info& s) { s.last_activity_at = iso_time(); });
        co_return co_await send(ex, empty_reply(201));
    }
    if (segs.size() == 4 && method == "GET" && segs[3] == "toolbox-proxy-url") {
        std::string out;
        json::writer w(out);
        w.begin_object().member("url", origin_of(ex) + "/toolbox").end_object();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    }
    if (segs.size() == 4 && method == "GET" && segs[3] == "build-logs-url") {
        if (!rec->info.build_info)
            co_return co_await send(
                ex, api_error(ex, 400, "Sandbox " + rec->info.id + " was not built from an image"));
        std::string out;
        json::writer w(out);
        w.begin_object()
            .member("url", origin_of(ex) + "/api/build-logs-stream/sandbox/" + rec->info.id)
            .end_object();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    }
    if (segs.size() >= 6 && segs[3] == "ports") co_return co_await preview_routes(ex, *rec, segs);
    if (segs.size() == 4 && method == "POST" && segs[3] == "fork")
        co_return co_await fork_sandbox(ex, *rec);
    if (segs.size() == 4 && method == "POST" && segs[3] == "snapshot")
        co_return co_await snapshot_sandbox(ex, *rec);
    if (segs.size() == 4 && method == "GET" &&
        (segs[3] == "forks" || segs[3] == "parent" || segs[3] == "ancestors"))
        co_return co_await sandbox_family(ex, *rec, segs[3]);
    co_await send(ex, api_error(ex, 404, "Cannot " + method + " " + std::string(ex.path())));
}

asio::awaitable<void> service::create_sandbox(exchange& ex) {
    auto body = co_await read_json<create_body>(ex, false);
    if (!body) co_return;
    for (const auto& [k, v] : body->env)
        if (!valid_env_name(k))
            co_return co_await send(ex,
                                    api_error(ex, 400, "invalid environment variable name: " + k));
    if ((body->auto_stop && *body->auto_stop < 0) ||
        (body->auto_archive && *body->auto_archive < 0))
        co_return co_await send(
            ex,
            api_error(ex, 400, "autoStopInterval and autoArchiveInterval must not be negative"));
    if (body->name && body->name->empty())
        co_return co_await send(ex, api_error(ex, 400, "name must not be empty"));
    if (body->name && body->name->find('/') != std::string::npos)
        co_return co_await send(ex, api_error(ex, 400, "name must not contain '/'"));
    for (auto v : {body->cpu, body->gpu, body->memory, body->disk})
        if (v && *v < 0)
            co_return co_await send(ex, api_error(ex, 400, "resources must not be negative"));
    if (body->snapshot && body->build_info)
        co_return co_await send(ex,
                                api_error(ex, 400, "give either snapshot or buildInfo, not both"));
    if (body->build_info && detail::trim(body->build_info->dockerfile_content).empty())
        co_return co_await send(ex, api_error(ex, 400, "buildInfo.dockerfileContent is required"));
    if (body->user && (body->user->empty() || body->user->find('/') != std::string::npos ||
                       *body->user == ".." || *body->user == "."))
        co_return co_await send(ex, api_error(ex, 400, "invalid user"));
    // Volumes are named by id or name and must be ready; the DTO carries their ids.
    for (auto& v : body->volumes) {
        auto vol = store_.find_volume(v.volume_id);
        if (!vol)
            co_return co_await send(ex, api_error(ex, 404, "Volume " + v.volume_id + " not found"));
        if (vol->state != "ready")
            co_return co_await send(ex,
                                    api_error(ex, 400, "Volume " + v.volume_id + " is not ready"));
        if (v.mount_path.empty() || v.mount_path.front() != '/' || v.mount_path == "/")
            co_return co_await send(
                ex, api_error(ex, 400, "invalid volume mount path: " + v.mount_path));
        if (v.subpath && v.subpath->find("..") != std::string::npos)
            co_return co_await send(ex,
                                    api_error(ex, 400, "invalid volume subpath: " + *v.subpath));
        v.volume_id = vol->id;
    }
    // A snapshot the emulator knows must be active; any other name is treated as an image it
    // has already "pulled" (there is no registry here).
    if (body->snapshot) {
        if (auto snap = store_.find_snapshot(*body->snapshot); snap && snap->state != "active")
            co_return co_await send(
                ex, api_error(ex, 400, "Snapshot " + *body->snapshot + " is " + snap->state));
    }
    const auto now = iso_time();
    sandbox_record rec;
    auto& s = rec.info;
    s.id = new_uuid();
    s.organization_id = organization();
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
    const bool built = body->build_info.has_value();
    if (built) {
        s.build_info = std::move(body->build_info);
        s.build_info->created_at = s.build_info->updated_at = now;
        s.build_info->snapshot_ref = "daytona-emulator/build-" + s.id;
    } else {
        s.snapshot = body->snapshot.value_or("daytona-emulator");
    }
    s.desired_state = "started";
    s.backup_state = "None";
    s.recoverable = false;
    s.created_at = s.updated_at = now;
    s.last_activity_at = now;
    s.sandbox_class = "container";
    s.daemon_version = "emulator";
    set_state(s, built ? "pending_build" : "creating");
    s.updated_at = now;
    rec.dir = store_.data_dir() / "sandboxes" / s.id;
    std::string why;
    const auto id = s.id;
    const auto record_copy = rec;
    const bool build_fails =
        built && s.build_info->dockerfile_content.find(build_fail_marker) != std::string::npos;
    const bool start_fails = s.labels.count(std::string(fail_label)) != 0;
    if (!store_.insert(std::move(rec), &why))
        co_return co_await send(
            ex, api_error(ex, why.find("already exists") != std::string::npos ? 409 : 500, why));
    // A snapshot taken from a sandbox carries its file tree: the new sandbox starts with a copy.
    if (auto snap = body->snapshot ? store_.find_snapshot(*body->snapshot) : std::nullopt) {
        auto files = store_.snapshot_files(snap->id);
        std::error_code ec;
        if (fs::exists(files, ec)) {
            auto copying = copy_tree(std::move(files), record_copy.root());  // named (GCC 12)
            auto copied = co_await std::move(copying);
            if (!copied.empty()) {
                store_.erase(id);
                co_return co_await send(
                    ex, api_error(ex, 500, "creating from snapshot " + snap->name + ": " + copied));
            }
        }
    }
    prepare_volumes(record_copy);
    auto path = creation_path(built, build_fails, start_fails);
    // With no state delay the DTO comes back `started`, so the SDKs make no extra request.
    auto info = transition(ex.stream().get_executor(), id, std::move(path));
    if (!info) co_return co_await sandbox_not_found(ex, id);
    co_await sandbox_reply(ex, *info);
}

asio::awaitable<void> service::list_sandboxes(exchange& ex) {
    auto records = store_.all();
    std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
        return std::tie(a.info.created_at, a.info.id) < std::tie(b.info.created_at, b.info.id);
    });
    std::map<std::string, std::string> want_labels;
    if (auto labels = ex.query_param("labels"); labels && !labels->empty()) {
        auto decoded =
            json::decode<std::map<std::string, std::string>>(std::string_view(*labels), "labels");
        if (!decoded)
            co_return co_await send(ex,
                                    api_error(ex, 400, "labels must be a JSON object of strings"));
        want_labels = std::move(*decoded);
    }
    const auto states = ex.query_params("states");
    const auto id_prefix = ex.query_param("id").value_or("");
    const auto name_prefix = ex.query_param("name").value_or("");
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
        bool ok = r.info.id.starts_with(id_prefix) && r.info.name.starts_with(name_prefix);
        for (const auto& [k, v] : want_labels) {
            auto it = r.info.labels.find(k);
            ok = ok && it != r.info.labels.end() && it->second == v;
        }
        if (!states.empty())
            ok = ok && std::find(states.begin(), states.end(), r.info.state_name) != states.end();
        if (ok) matched.push_back(&r);
    }
    std::string body;
    json::writer w(body);
    w.begin_object().key("items").begin_array();
    const std::size_t end = std::min(matched.size(), offset + limit);
    for (std::size_t i = offset; i < end; ++i)
        w.raw(sandbox_json(ex, matched[i]->info, true));
    w.end_array().key("nextCursor");
    if (end < matched.size())
        w.value(std::to_string(end));
    else
        w.null();
    w.end_object();
    co_await send(ex, json_reply(200, std::move(body)));
}

std::vector<service::state_step> service::creation_path(bool built, bool build_fails,
                                                        bool start_fails) {
    // The first step is where the sandbox is when POST /sandbox answers (with a state delay); the
    // SDKs stream build logs only when that is pending_build.
    std::vector<state_step> path;
    const auto step = [&](std::string_view state) {
        path.push_back(state_step{std::string(state), "started"});
    };
    step(built ? "pending_build" : "creating");
    if (built) step("building_snapshot");
    if (build_fails) {
        step("build_failed");
        path.back().error_reason =
            "emulated build failed: the Dockerfile contains " + std::string(build_fail_marker);
        return path;
    }
    step("starting");
    step(start_fails ? "error" : "started");
    if (start_fails) {
        path.back().error_reason = "injected failure (label " + std::string(fail_label) + ")";
        path.back().recoverable = true;
    }
    return path;
}

std::optional<std::vector<service::state_step>> service::plan_lifecycle(const exchange& ex,
                                                                        const sandbox_record& rec,
                                                                        const std::string& action,
                                                                        int& status,
                                                                        std::string& message) {
    const auto state = rec.info.state;
    const auto& id = rec.info.id;
    std::vector<state_step> path;
    status = 400;
    if (transitional(state)) {
        status = 409;
        message = "Sandbox " + id + " is " + rec.info.state_name +
                  "; wait for the state change to finish";
        return std::nullopt;
    }
    const auto go = [&](std::string_view via, std::string_view to) {
        path.push_back(state_step{std::string(via), std::string(to)});
        path.push_back(state_step{std::string(to), std::string(to)});
    };
    if (action == "start") {
        if (state == sandbox_state::started) return path;  // nothing to do
        if (state == sandbox_state::stopped)
            go("starting", "started");
        else if (state == sandbox_state::archived)
            go("restoring", "started");
        else if (state == sandbox_state::paused)
            go("resuming", "started");
        else
            message = "Sandbox " + id + " cannot be started from state " + rec.info.state_name;
    } else if (action == "stop") {
        auto force = ex.query_param("force").value_or("false");
        if (force != "true" && force != "false")
            message = "force must be true or false";
        else if (state != sandbox_state::started)
            message = "Sandbox is not started";
        else {
            go("stopping", "stopped");
            // An ephemeral sandbox (auto-delete 0) is deleted as soon as it stops.
            if (rec.info.auto_delete_interval == 0) go("destroying", "destroyed");
        }
    } else if (action == "archive") {
        if (state != sandbox_state::stopped)
            message = "Sandbox is not stopped";
        else
            go("archiving", "archived");
    } else {  // recover
        if (state != sandbox_state::error)
            message = "Sandbox is not in an error state";
        else if (!rec.info.recoverable.value_or(false))
            message = "Sandbox error is not recoverable";
        else {
            // Recovery clears the injected failure so the sandbox can start.
            store_.modify(id, [](sandbox_info& s) { s.labels.erase(std::string(fail_label)); });
            go("starting", "started");
        }
    }
    if (!message.empty()) return std::nullopt;
    return path;
}

// Requests here have no body worth reading: the server discards whatever is left after the
// handler answers.
asio::awaitable<void> service::lifecycle(exchange& ex, const sandbox_record& rec,
                                         const std::string& action) {
    int status = 400;
    std::string message;
    auto path = plan_lifecycle(ex, rec, action, status, message);
    if (!path) co_return co_await send(ex, api_error(ex, status, message));
    if (path->empty()) co_return co_await sandbox_reply(ex, rec.info);
    auto info = transition(ex.stream().get_executor(), rec.info.id, std::move(*path));
    if (!info) {
        // An ephemeral sandbox that was destroyed at once: report what happened to it.
        info = rec.info;
        set_state(*info, "destroyed");
        info->desired_state = "destroyed";
    }
    co_await sandbox_reply(ex, *info);
}

asio::awaitable<void> service::resize(exchange& ex, const sandbox_record& rec) {
    auto body = co_await read_json<resize_body>(ex, false);
    if (!body) co_return;
    const auto& s = rec.info;
    if (s.state != sandbox_state::started && s.state != sandbox_state::stopped)
        co_return co_await send(ex,
                                api_error(ex, 400, "Sandbox must be started or stopped to resize"));
    if (!body->cpu && !body->memory && !body->disk)
        co_return co_await send(
            ex, api_error(ex, 400, "at least one of cpu, memory and disk is required"));
    if (body->gpu) co_return co_await send(ex, api_error(ex, 400, "GPU cannot be resized"));
    for (auto v : {body->cpu, body->memory, body->disk})
        if (v && *v <= 0)
            co_return co_await send(ex, api_error(ex, 400, "resources must be positive"));
    if (body->disk && *body->disk < s.disk)
        co_return co_await send(ex, api_error(ex, 400, "Disk size cannot be decreased"));
    if (s.state == sandbox_state::started) {
        if ((body->cpu && *body->cpu < s.cpu) || (body->memory && *body->memory < s.memory))
            co_return co_await send(
                ex, api_error(ex, 400,
                              "A running sandbox can only increase CPU and memory; stop it first"));
        if (body->disk && *body->disk != s.disk)
            co_return co_await send(
                ex, api_error(ex, 400, "Disk can only be resized while the sandbox is stopped"));
    }
    const std::string back = s.state_name;
    store_.modify(s.id, [&](sandbox_info& info) {
        if (body->cpu) info.cpu = *body->cpu;
        if (body->memory) info.memory = *body->memory;
        if (body->disk) info.disk = *body->disk;
    });
    std::vector<state_step> path{{"resizing", ""}, {back, ""}};
    auto info = transition(ex.stream().get_executor(), s.id, std::move(path));
    if (!info) co_return co_await sandbox_not_found(ex, s.id);
    co_await sandbox_reply(ex, *info);
}

std::optional<sandbox_info> service::apply_setting(const sandbox_record& rec,
                                                   const std::string& what,
                                                   const std::string& value, int& status,
                                                   std::string& message) {
    status = 400;
    if (what == "public") {
        if (value != "true" && value != "false") {
            message = "public must be true or false";
            return std::nullopt;
        }
        status = 404;
        message = "Sandbox with ID or name " + rec.info.id + " not found";
        return store_.modify(rec.info.id, [&](sandbox_info& s) { s.is_public = value == "true"; });
    }
    auto minutes = parse_int(value);
    if (!minutes) {
        message = what + " interval must be an integer";
        return std::nullopt;
    }
    if (*minutes < 0 && what != "autodelete") {
        message = what + " interval must not be negative";
        return std::nullopt;
    }
    status = 404;
    message = "Sandbox with ID or name " + rec.info.id + " not found";
    return store_.modify(rec.info.id, [&](sandbox_info& s) {
        if (what == "autostop")
            s.auto_stop_interval = *minutes;
        else if (what == "autoarchive")
            s.auto_archive_interval = *minutes == 0 ? 43200 : *minutes;
        else
            s.auto_delete_interval = *minutes;
    });
}

asio::awaitable<void> service::setting(exchange& ex, const sandbox_record& rec,
                                       const std::string& what, const std::string& value) {
    int status = 400;
    std::string message;
    auto info = apply_setting(rec, what, value, status, message);
    if (!info) co_return co_await send(ex, api_error(ex, status, message));
    co_await sandbox_reply(ex, *info);
}

asio::awaitable<void> service::preview_routes(exchange& ex, const sandbox_record& rec,
                                              const segments& segs) {
    // /api/sandbox/{id}/ports/{port}/preview-url | signed-preview-url |
    // signed-preview-url/{token}/expire
    const auto& method = ex.request().method;
    auto port = detail::parse_uint<unsigned>(segs[4]);
    if (!port || *port == 0 || *port > 65535)
        co_return co_await send(ex, api_error(ex, 400, "invalid port " + segs[4]));
    if (segs.size() == 6 && method == "GET" && segs[5] == "preview-url") {
        const auto token = preview_token(rec.info.id);
        std::string out;
        json::writer w(out);
        w.begin_object()
            .member("sandboxId", rec.info.id)
            .member("url", preview_origin(segs[4], rec.info.id))
            .member("token", token)
            .end_object();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    }
    if (segs.size() == 6 && method == "GET" && segs[5] == "signed-preview-url") {
        int seconds = 60;
        if (auto e = ex.query_param("expiresInSeconds")) {
            auto v = parse_int(*e);
            if (!v || *v < 1 || *v > 86400)
                co_return co_await send(
                    ex, api_error(ex, 400, "expiresInSeconds must be between 1 and 86400"));
            seconds = *v;
        }
        const auto token = random_token(24);
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        {
            std::lock_guard lock(previews_mu_);
            signed_previews_.emplace(
                token, signed_preview{rec.info.id, static_cast<int>(*port), now + seconds});
        }
        std::string out;
        json::writer w(out);
        w.begin_object()
            .member("sandboxId", rec.info.id)
            .member("port", static_cast<int>(*port))
            .member("token", token)
            .member("url", preview_origin(segs[4], token))
            .end_object();
        co_return co_await send(ex, json_reply(200, std::move(out)));
    }
    if (segs.size() == 8 && method == "POST" && segs[5] == "signed-preview-url" &&
        segs[7] == "expire") {
        bool found = false;
        {
            std::lock_guard lock(previews_mu_);
            auto it = signed_previews_.find(segs[6]);
            found = it != signed_previews_.end() && it->second.sandbox_id == rec.info.id;
            if (found) signed_previews_.erase(it);
        }
        if (!found) co_return co_await send(ex, api_error(ex, 404, "Signed preview URL not found"));
        co_return co_await send(ex, empty_reply(200));
    }
    co_await send(ex, api_error(ex, 404, "Cannot " + method + " " + std::string(ex.path())));
}

asio::awaitable<void> service::build_logs(exchange& ex, const std::string& kind,
                                          const std::string& id) {
    if (!authorized(ex)) co_return co_await send(ex, api_error(ex, 401, "Unauthorized"));
    std::string dockerfile;
    if (kind == "sandbox") {
        auto rec = store_.find(id);
        if (!rec) co_return co_await sandbox_not_found(ex, id);
        if (rec->info.build_info) dockerfile = rec->info.build_info->dockerfile_content;
    } else if (kind == "snapshot") {
        auto snap = store_.find_snapshot(id);
        if (!snap) co_return co_await send(ex, api_error(ex, 404, "Snapshot " + id + " not found"));
        dockerfile = snap->dockerfile.value_or("FROM " + snap->image_name + "\n");
    } else {
        co_return co_await send(ex, api_error(ex, 404, "Cannot GET " + std::string(ex.path())));
    }
    http::fields headers;
    headers.add("Content-Type", "text/plain; charset=utf-8");
    if (auto r = co_await ex.begin_chunked(200, std::move(headers)); !r) co_return;
    // With a state delay the lines are paced across the build, so a follower sees them arrive.
    asio::steady_timer pace(ex.stream().get_executor());
    for (const auto& line : build_log_lines(dockerfile)) {
        if (opts_.state_delay.count() > 0) {
            pace.expires_after(std::min<std::chrono::milliseconds>(opts_.state_delay / 4,
                                                                   std::chrono::milliseconds(250)));
            std::error_code ec;
            co_await pace.async_wait(net::redirect(ec));
        }
        if (auto r = co_await ex.write_chunk(line + "\n"); !r) co_return;
    }
    (void)co_await ex.end_chunked();
}

}  // namespace daytona::emulator
