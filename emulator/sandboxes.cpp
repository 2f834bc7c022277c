// SPDX-License-Identifier: Apache-2.0
// /api/sandbox/...: create, list, get, delete, the lifecycle state changes (lifecycle.hpp),
// settings and the URLs handed to clients.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/sandbox.hpp>
#include <daytona/detail/string.hpp>
#include <daytona/json/reader.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <mutex>

namespace daytona::emulator {

namespace sandboxes_impl {

namespace ops = api::ops;

/// A label that makes a new sandbox land in a recoverable `error` state (for recover()).
constexpr std::string_view fail_label = "daytona-emulator/fail";

std::optional<int> parse_int(std::string_view s) {
    if (s.empty()) return std::nullopt;
    bool negative = s.front() == '-';
    if (negative) s.remove_prefix(1);
    auto v = detail::parse_uint<unsigned>(s);
    if (!v || *v > 1'000'000'000u) return std::nullopt;
    return negative ? -static_cast<int>(*v) : static_cast<int>(*v);
}

/// Why a comma-separated network allow list is refused ("" when every entry is an IPv4 CIDR,
/// a.b.c.d/n, as Daytona requires).
std::string invalid_network_list(std::string_view list) {
    if (detail::trim(list).empty()) return {};  // clears the list
    while (true) {
        const auto comma = list.find(',');
        const auto entry = detail::trim(list.substr(0, comma));
        const auto refuse = [&] {
            return "Invalid network format: \"" + std::string(entry) +
                   "\". Expected CIDR notation (e.g., \"192.168.1.0/16\")";
        };
        const auto slash = entry.find('/');
        if (slash == std::string_view::npos) return refuse();
        auto prefix = detail::parse_uint<unsigned>(entry.substr(slash + 1));
        if (!prefix || *prefix > 32) return refuse();
        auto address = entry.substr(0, slash);
        for (int octet = 0; octet < 4; ++octet) {
            const auto dot = address.find('.');
            if ((octet < 3) == (dot == std::string_view::npos)) return refuse();
            auto v = detail::parse_uint<unsigned>(address.substr(0, dot));
            if (!v || *v > 255) return refuse();
            address = octet < 3 ? address.substr(dot + 1) : std::string_view{};
        }
        if (comma == std::string_view::npos) return {};
        list.remove_prefix(comma + 1);
    }
}

/// An ISO 8601 date-time ("2026-01-02T03:04:05Z"; a date alone, fractional seconds and a
/// `±hh:mm` offset are accepted too) in milliseconds since the epoch.
std::optional<std::int64_t> parse_iso_ms(std::string_view s) {
    const auto digits = [&](std::size_t pos, std::size_t n) -> std::optional<int> {
        if (pos + n > s.size()) return std::nullopt;
        int v = 0;
        for (std::size_t i = pos; i < pos + n; ++i) {
            if (s[i] < '0' || s[i] > '9') return std::nullopt;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    const auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2);
    if (!y || !mo || !d || s[4] != '-' || s[7] != '-') return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year{*y},
                                           std::chrono::month{static_cast<unsigned>(*mo)},
                                           std::chrono::day{static_cast<unsigned>(*d)}};
    if (!date.ok()) return std::nullopt;
    std::int64_t ms = std::chrono::sys_days(date).time_since_epoch().count() * 86'400'000LL;
    if (s.size() == 10) return ms;
    const auto h = digits(11, 2), mi = digits(14, 2), sec = digits(17, 2);
    if ((s[10] != 'T' && s[10] != 't') || !h || !mi || !sec || s[13] != ':' || s[16] != ':' ||
        *h > 23 || *mi > 59 || *sec > 60)
        return std::nullopt;
    ms += ((*h * 60LL + *mi) * 60 + *sec) * 1000;
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        const auto first = ++pos;
        for (int scale = 100; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, scale /= 10)
            ms += (s[pos] - '0') * scale;
        if (pos == first) return std::nullopt;
    }
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        const auto oh = digits(pos + 1, 2), om = digits(pos + 4, 2);
        if (!oh || !om || s[pos + 3] != ':') return std::nullopt;
        const std::int64_t offset = (*oh * 60LL + *om) * 60'000;
        ms += s[pos] == '+' ? -offset : offset;
        pos += 6;
    }
    if (pos != s.size()) return std::nullopt;
    return ms;
}

/// The filters and the order of `GET /sandbox`, read from the query.
struct list_filter {
    std::map<std::string, std::string> labels;
    std::vector<std::string> states, snapshots, regions, classes;
    std::string id_prefix, name_prefix;  // lower case: the prefixes ignore case
    struct range {
        std::optional<double> min, max;
        bool has(double v) const { return (!min || v >= *min) && (!max || v <= *max); }
    };
    range cpu, memory, disk, gpu;
    struct time_range {
        std::optional<std::int64_t> after, before;
        bool any() const { return after || before; }
        bool has(const std::optional<std::string>& iso) const {
            if (!any()) return true;
            auto t = iso ? parse_iso_ms(*iso) : std::nullopt;
            return t && (!after || *t >= *after) && (!before || *t <= *before);
        }
    };
    time_range created, last_event, auto_destroy;
    std::optional<bool> is_public, is_recoverable;
    bool include_errored_deleted = false;
    std::string sort_field = "createdAt";
    bool descending = false;

    bool matches(const sandbox_info& s) const {
        const auto has_prefix = [](std::string_view value, std::string_view prefix) {
            return value.size() >= prefix.size() &&
                   std::equal(prefix.begin(), prefix.end(), value.begin(), [](char p, char v) {
                       return p == static_cast<char>(std::tolower(static_cast<unsigned char>(v)));
                   });
        };
        const auto one_of = [](const std::vector<std::string>& set, std::string_view v) {
            return set.empty() || std::find(set.begin(), set.end(), v) != set.end();
        };
        const bool errored =
            s.state == sandbox_state::error || s.state == sandbox_state::build_failed;
        if (errored && s.desired_state == "destroyed" && !include_errored_deleted) return false;
        for (const auto& [k, v] : labels) {
            auto it = s.labels.find(k);
            if (it == s.labels.end() || it->second != v) return false;
        }
        return has_prefix(s.id, id_prefix) && has_prefix(s.name, name_prefix) &&
               one_of(states, s.state_name) && one_of(snapshots, s.snapshot.value_or("")) &&
               one_of(regions, s.target) &&
               one_of(classes, s.sandbox_class.empty() ? "container" : s.sandbox_class) &&
               cpu.has(s.cpu) && memory.has(s.memory) && disk.has(s.disk) && gpu.has(s.gpu) &&
               (!is_public || *is_public == s.is_public) &&
               (!is_recoverable || *is_recoverable == s.recoverable.value_or(false)) &&
               created.has(s.created_at) && last_event.has(s.last_activity_at) &&
               auto_destroy.has(s.auto_destroy_at);
    }

    /// Orders by the sort field, then by id, both in the requested direction; sandboxes without
    /// a value for the field (no last activity) come last either way.
    void sort(std::vector<sandbox_record>& records) const {
        struct key {
            bool missing = false;
            double number = 0;
            std::string text;
        };
        const auto key_of = [&](const sandbox_info& s) {
            key k;
            if (sort_field == "name") {
                k.text = s.name;
            } else if (sort_field == "cpu") {
                k.number = s.cpu;
            } else if (sort_field == "memoryGib") {
                k.number = s.memory;
            } else if (sort_field == "diskGib") {
                k.number = s.disk;
            } else {
                const auto& iso = sort_field == "lastActivityAt" ? s.last_activity_at
                                                                 : std::optional(s.created_at);
                auto t = iso ? parse_iso_ms(*iso) : std::nullopt;
                k.missing = !t;
                k.number = static_cast<double>(t.value_or(0));
            }
            return k;
        };
        std::vector<std::pair<key, sandbox_record>> keyed;
        keyed.reserve(records.size());
        for (auto& r : records)
            keyed.emplace_back(key_of(r.info), std::move(r));
        std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
            if (a.first.missing != b.first.missing) return b.first.missing;
            const auto ka = std::tie(a.first.number, a.first.text, a.second.info.id);
            const auto kb = std::tie(b.first.number, b.first.text, b.second.info.id);
            return descending ? kb < ka : ka < kb;
        });
        records.clear();
        for (auto& [k, r] : keyed)
            records.push_back(std::move(r));
    }
};

/// The filters of `GET /sandbox` in `ex`'s query; nullopt with `why` set when one is malformed
/// (Daytona answers 400 then).
std::optional<list_filter> parse_list_filter(const exchange& ex, std::string& why) {
    list_filter f;
    if (auto labels = ex.query_param("labels"); labels && !labels->empty()) {
        auto decoded =
            json::decode<std::map<std::string, std::string>>(std::string_view(*labels), "labels");
        if (!decoded) {
            why = "labels must be a JSON object of strings";
            return std::nullopt;
        }
        f.labels = std::move(*decoded);
    }
    f.states = ex.query_params("states");
    f.snapshots = ex.query_params("snapshots");
    f.regions = ex.query_params("regionIds");
    f.classes = ex.query_params("sandboxClasses");
    for (const auto& c : f.classes)
        if (c != "container" && c != "linux-vm" && c != "android" && c != "windows") {
            why =
                "each value in sandboxClasses must be one of container, linux-vm, android, "
                "windows";
            return std::nullopt;
        }
    const auto lower = [](std::string v) {
        for (auto& ch : v)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return v;
    };
    f.id_prefix = lower(ex.query_param("id").value_or(""));
    f.name_prefix = lower(ex.query_param("name").value_or(""));
    for (auto [name, out] : {std::pair{"minCpu", &f.cpu.min},
                             {"maxCpu", &f.cpu.max},
                             {"minMemoryGiB", &f.memory.min},
                             {"maxMemoryGiB", &f.memory.max},
                             {"minDiskGiB", &f.disk.min},
                             {"maxDiskGiB", &f.disk.max},
                             {"minGpu", &f.gpu.min},
                             {"maxGpu", &f.gpu.max}}) {
        auto v = ex.query_param(name);
        if (!v) continue;
        double number = 0;
        auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), number);
        if (ec != std::errc{} || end != v->data() + v->size() || number < 0) {
            why = std::string(name) + " must be a non-negative number";
            return std::nullopt;
        }
        *out = number;
    }
    // includeWarm is only checked: the emulator keeps no warm pool.
    std::optional<bool> errored_deleted, warm;
    for (auto [name, out] : {std::pair{"isPublic", &f.is_public},
                             {"isRecoverable", &f.is_recoverable},
                             {"includeErroredDeleted", &errored_deleted},
                             {"includeWarm", &warm}}) {
        auto v = ex.query_param(name);
        if (!v) continue;
        if (*v != "true" && *v != "false") {
            why = std::string(name) + " must be a boolean value";
            return std::nullopt;
        }
        *out = *v == "true";
    }
    f.include_errored_deleted = errored_deleted.value_or(false);
    for (auto [name, out] : {std::pair{"createdAtAfter", &f.created.after},
                             {"createdAtBefore", &f.created.before},
                             {"lastEventAfter", &f.last_event.after},
                             {"lastEventBefore", &f.last_event.before},
                             {"autoDestroyAtAfter", &f.auto_destroy.after},
                             {"autoDestroyAtBefore", &f.auto_destroy.before}}) {
        auto v = ex.query_param(name);
        if (!v) continue;
        *out = parse_iso_ms(*v);
        if (!*out) {
            why = std::string(name) + " must be an ISO 8601 date-time";
            return std::nullopt;
        }
    }
    if (auto sort = ex.query_param("sort")) {
        if (*sort != "name" && *sort != "cpu" && *sort != "memoryGib" && *sort != "diskGib" &&
            *sort != "lastActivityAt" && *sort != "createdAt") {
            why =
                "sort must be one of the following values: name, cpu, memoryGib, diskGib, "
                "lastActivityAt, createdAt";
            return std::nullopt;
        }
        f.sort_field = *sort;
    }
    if (auto order = ex.query_param("order")) {
        if (*order != "asc" && *order != "desc") {
            why = "order must be one of the following values: asc, desc";
            return std::nullopt;
        }
        f.descending = *order == "desc";
    }
    return f;
}

/// The states a new sandbox goes through. The first is where it is when POST /sandbox answers
/// (with a state delay); the SDKs stream build logs only when that is pending_build.
std::vector<state_step> creation_path(bool built, bool build_fails, bool start_fails) {
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

class sandboxes {
public:
    sandboxes(context& ctx, state_machine& states) : ctx_(ctx), states_(states) {}

    asio::awaitable<void> list(call& c);
    asio::awaitable<void> create(call& c);
    asio::awaitable<void> get(call& c);
    asio::awaitable<void> remove(call& c);
    /// start | stop | archive | recover, named by the route's operation.
    asio::awaitable<void> lifecycle(call& c);
    asio::awaitable<void> pause(call& c);
    asio::awaitable<void> resize(call& c);
    asio::awaitable<void> replace_labels(call& c);
    /// public | autostop | autoarchive | autodelete, named by the route's operation.
    asio::awaitable<void> setting(call& c);
    asio::awaitable<void> network_settings(call& c);
    asio::awaitable<void> last_activity(call& c);
    asio::awaitable<void> toolbox_proxy_url(call& c);
    asio::awaitable<void> build_logs_url(call& c);
    asio::awaitable<void> backup(call& c);
    asio::awaitable<void> create_ssh_access(call& c);
    asio::awaitable<void> revoke_ssh_access(call& c);
    asio::awaitable<void> validate_ssh_access(call& c);

private:
    /// Builds an image-built sandbox's Dockerfile into its tree, then starts it (or leaves it
    /// build_failed with the failing step as errorReason).
    asio::awaitable<void> build_then_start(std::string id, bool start_fails);
    std::optional<std::vector<state_step>> plan_lifecycle(const exchange& ex,
                                                          const sandbox_record& rec,
                                                          std::string_view operation, int& status,
                                                          std::string& message);
    std::optional<sandbox_info> apply_setting(const sandbox_record& rec, std::string_view operation,
                                              const std::string& value, int& status,
                                              std::string& message);

    context& ctx_;
    state_machine& states_;
    /// SSH access tokens by token. The emulator runs no SSH gateway: the tokens are only
    /// issued, validated and revoked as Daytona does.
    struct ssh_grant {
        std::string sandbox_id;
        std::chrono::system_clock::time_point expires_at;
    };
    std::mutex ssh_mu_;
    std::map<std::string, ssh_grant> ssh_grants_;
};

asio::awaitable<void> sandboxes::get(call& c) {
    auto rec = co_await find_sandbox(ctx_, c);
    if (!rec) co_return;
    co_await send(c.ex, ctx_.sandbox_reply(c.ex, rec->info));
}

asio::awaitable<void> sandboxes::remove(call& c) {
    const auto& key = c.param("sandboxIdOrName");
    auto rec = co_await find_sandbox(ctx_, c);
    if (!rec) co_return;
    state_step destroying{"destroying", "destroyed"};
    state_step destroyed{"destroyed", "destroyed"};
    std::vector<state_step> path{destroying, destroyed};
    auto info = states_.transition(c.ex.stream().get_executor(), rec->info.id, std::move(path));
    if (!info) co_return co_await send(c.ex, sandbox_not_found(c.ex, key));
    co_await send(c.ex, ctx_.sandbox_reply(c.ex, *info));
}

asio::awaitable<void> sandboxes::create(call& c) {
    auto& ex = c.ex;
    auto body = co_await read_json<create_sandbox_request>(ex, false);
    if (!body) co_return;
    for (const auto& [k, v] : body->env)
        if (!valid_env_name(k))
            co_return co_await send(ex,
                                    api_error(ex, 400, "invalid environment variable name: " + k));
    if ((body->auto_stop_interval && *body->auto_stop_interval < 0) ||
        (body->auto_archive_interval && *body->auto_archive_interval < 0))
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
    // As Daytona decides: resources (any non-zero) only come with a build from an image; a
    // sandbox from a snapshot gets the snapshot's.
    if (body->snapshot && body->build_info)
        co_return co_await send(
            ex, api_error(ex, 400, "Cannot specify a snapshot when using a build info entry"));
    if (!body->build_info && (body->cpu.value_or(0) != 0 || body->gpu.value_or(0) != 0 ||
                              body->memory.value_or(0) != 0 || body->disk.value_or(0) != 0))
        co_return co_await send(
            ex, api_error(ex, 400, "Cannot specify Sandbox resources when using a snapshot"));
    if (body->build_info && detail::trim(body->build_info->dockerfile_content).empty())
        co_return co_await send(ex, api_error(ex, 400, "buildInfo.dockerfileContent is required"));
    if (body->user && (body->user->empty() || body->user->find('/') != std::string::npos ||
                       *body->user == ".." || *body->user == "."))
        co_return co_await send(ex, api_error(ex, 400, "invalid user"));
    // Volumes are named by id or name and must be ready; the DTO carries their ids.
    for (auto& v : body->volumes) {
        auto vol = ctx_.records.find_volume(v.volume_id);
        if (!vol)
            co_return co_await send(ex, api_error(ex, 404, "Volume " + v.volume_id + " not found"));
        if (vol->info.state != volume_state::ready)
            co_return co_await send(ex,
                                    api_error(ex, 400, "Volume " + v.volume_id + " is not ready"));
        if (v.mount_path.empty() || v.mount_path.front() != '/' || v.mount_path == "/")
            co_return co_await send(
                ex, api_error(ex, 400, "invalid volume mount path: " + v.mount_path));
        if (v.subpath && v.subpath->find("..") != std::string::npos)
            co_return co_await send(ex,
                                    api_error(ex, 400, "invalid volume subpath: " + *v.subpath));
        v.volume_id = vol->info.id;
    }
    // A snapshot the emulator knows must be active; any other name is treated as an image it
    // has already "pulled" (there is no registry here).
    if (body->snapshot) {
        if (auto snap = ctx_.records.find_snapshot(*body->snapshot);
            snap && snap->info.state != snapshot_state::active)
            co_return co_await send(
                ex,
                api_error(ex, 400, "Snapshot " + *body->snapshot + " is " + snap->info.state_name));
    }
    const auto now = iso_time();
    sandbox_record rec;
    auto& s = rec.info;
    s.id = new_uuid();
    s.organization_id = organization_id;
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
    s.auto_stop_interval = body->auto_stop_interval.value_or(15);
    s.auto_archive_interval = body->auto_archive_interval.value_or(10080);
    s.auto_delete_interval = body->auto_delete_interval.value_or(-1);
    s.volumes = std::move(body->volumes);
    const bool built = body->build_info.has_value();
    if (built) {
        s.build_info = sandbox_build_info{
            .dockerfile_content = std::move(body->build_info->dockerfile_content),
            .context_hashes = body->build_info->context_hashes.value_or(std::vector<std::string>{}),
            .snapshot_ref = "daytona-emulator/build-" + s.id,
            .created_at = now,
            .updated_at = now};
    } else {
        s.snapshot = body->snapshot.value_or("daytona-emulator");
    }
    s.desired_state = "started";
    s.backup_state = "None";
    s.recoverable = false;
    s.created_at = s.updated_at = now;
    s.last_activity_at = now;
    s.sandbox_class = "container";
    // The class comes from the snapshot (a linux-vm snapshot makes linux-vm sandboxes).
    if (auto snap = body->snapshot ? ctx_.records.find_snapshot(*body->snapshot) : std::nullopt;
        snap && !snap->info.sandbox_class.empty())
        s.sandbox_class = snap->info.sandbox_class;
    s.daemon_version = "emulator";
    set_state(s, built ? "pending_build" : "creating");
    s.updated_at = now;
    rec.dir = ctx_.records.data_dir() / "sandboxes" / s.id;
    std::string why;
    const auto id = s.id;
    const auto record_copy = rec;
    const bool build_fails =
        built && s.build_info->dockerfile_content.find(build_fail_marker) != std::string::npos;
    const bool start_fails = s.labels.count(std::string(fail_label)) != 0;
    if (!ctx_.records.insert(std::move(rec), &why))
        co_return co_await send(
            ex, api_error(ex, why.find("already exists") != std::string::npos ? 409 : 500, why));
    // A snapshot taken from a sandbox carries its file tree: the new sandbox starts with a copy.
    if (auto snap = body->snapshot ? ctx_.records.find_snapshot(*body->snapshot) : std::nullopt) {
        auto files = ctx_.records.snapshot_files(snap->info.id);
        std::error_code ec;
        if (fs::exists(files, ec)) {
            auto copying = copy_tree(std::move(files), record_copy.root());  // named (GCC 12)
            auto copied = co_await std::move(copying);
            if (!copied.empty()) {
                ctx_.records.erase(id);
                co_return co_await send(
                    ex, api_error(ex, 500,
                                  "creating from snapshot " + snap->info.name + ": " + copied));
            }
        }
    }
    ctx_.host.prepare_volumes(record_copy);
    if (auto snap = body->snapshot ? ctx_.records.find_snapshot(*body->snapshot) : std::nullopt) {
        // A snapshot built from an image passes its settings on, and its sandboxes run in it.
        std::error_code ec;
        fs::copy_file(image_config_of_snapshot(ctx_, snap->info.id), record_copy.dir / "image.cfg",
                      ec);
    }
    if (built && ctx_.real_builds()) {
        // Real builds answer pending_build at once, as Daytona does, and move on as the build
        // does; the SDKs follow the build log meanwhile.
        asio::co_spawn(ex.stream().get_executor(), build_then_start(id, start_fails),
                       asio::detached);
        co_return co_await send(ex, ctx_.sandbox_reply(ex, record_copy.info));
    }
    auto path = creation_path(built, build_fails, start_fails);
    // With no state delay the DTO comes back `started`, so the SDKs make no extra request.
    auto info = states_.transition(ex.stream().get_executor(), id, std::move(path));
    if (!info) co_return co_await send(ex, sandbox_not_found(ex, id));
    co_await send(ex, ctx_.sandbox_reply(ex, *info));
}

asio::awaitable<void> sandboxes::build_then_start(std::string id, bool start_fails) {
    // With --state-delay-ms the states last at least as long as emulated ones, so the SDKs'
    // polls see pending_build and building_snapshot and follow the log while the build runs (a
    // real build can be quicker than a poll).
    asio::steady_timer dwell_timer(co_await asio::this_coro::executor);
    const auto linger = [&](std::string_view state) -> asio::awaitable<void> {
        const auto d = dwell(ctx_.opts, state);
        if (d.count() == 0) co_return;
        dwell_timer.expires_after(d);
        std::error_code wait_ec;
        co_await dwell_timer.async_wait(net::redirect(wait_ec));
    };
    auto pending = linger("pending_build");  // named: GCC 12
    co_await std::move(pending);
    if (!ctx_.records.find(id)) co_return;  // deleted meanwhile
    states_.apply(id, state_step{"building_snapshot", "started"});
    auto building = linger("building_snapshot");
    co_await std::move(building);
    auto rec = ctx_.records.find(id);
    if (!rec || !rec->info.build_info) co_return;
    auto outcome = co_await run_image_build(ctx_, "sandbox/" + id, *rec->info.build_info,
                                            rec->root(), rec->dir / "build", ctx_.runtime_of(id));
    std::error_code ec;
    fs::remove_all(rec->dir / "build", ec);
    if (!ctx_.records.find(id)) co_return;  // deleted while it built
    if (!outcome.ok) {
        state_step failed{"build_failed", "started", outcome.error_reason};
        states_.apply(id, failed);
        co_return;
    }
    write_image_config(rec->dir / "image.cfg", outcome.config);
    auto path = creation_path(false, false, start_fails);
    path.erase(path.begin());  // not `creating`: it comes from its build
    for (const auto& step : path)
        states_.apply(id, step);
}

asio::awaitable<void> sandboxes::list(call& c) {
    auto& ex = c.ex;
    std::string why;
    auto filter = parse_list_filter(ex, why);
    if (!filter) co_return co_await send(ex, api_error(ex, 400, why));
    std::size_t limit = 100, offset = 0;
    if (auto l = ex.query_param("limit")) {
        auto v = detail::parse_uint<std::size_t>(*l);
        if (!v || *v == 0 || *v > 1000)
            co_return co_await send(ex, api_error(ex, 400, "limit must be between 1 and 1000"));
        limit = *v;
    }
    if (auto cursor = ex.query_param("cursor"); cursor && !cursor->empty()) {
        auto v = detail::parse_uint<std::size_t>(*cursor);
        if (!v) co_return co_await send(ex, api_error(ex, 400, "invalid cursor"));
        offset = *v;
    }
    auto records = ctx_.records.all();
    std::erase_if(records, [&](const sandbox_record& r) { return !filter->matches(r.info); });
    filter->sort(records);
    sandbox_info_page page;
    const std::size_t end = std::min(records.size(), offset + limit);
    for (std::size_t i = offset; i < end; ++i)
        page.items.push_back(ctx_.for_client(ex, records[i].info));
    if (end < records.size()) page.next_cursor = std::to_string(end);
    co_await send(ex, encoded_reply(page));
}

std::optional<std::vector<state_step>> sandboxes::plan_lifecycle(const exchange& ex,
                                                                 const sandbox_record& rec,
                                                                 std::string_view operation,
                                                                 int& status,
                                                                 std::string& message) {
    const auto state = rec.info.state;
    const auto& id = rec.info.id;
    std::vector<state_step> path;
    status = 400;
    if (is_transitional(state)) {
        status = 409;
        message = "Sandbox " + id + " is " + rec.info.state_name +
                  "; wait for the state change to finish";
        return std::nullopt;
    }
    const auto go = [&](std::string_view via, std::string_view to) {
        path.push_back(state_step{std::string(via), std::string(to)});
        path.push_back(state_step{std::string(to), std::string(to)});
    };
    if (operation == ops::start_sandbox.name) {
        if (state == sandbox_state::started) return path;  // nothing to do
        if (state == sandbox_state::stopped)
            go("starting", "started");
        else if (state == sandbox_state::archived)
            go("restoring", "started");
        else if (state == sandbox_state::paused)
            go("resuming", "started");
        else
            message = "Sandbox " + id + " cannot be started from state " + rec.info.state_name;
    } else if (operation == ops::stop_sandbox.name) {
        auto force = ex.query_param("force").value_or("false");
        if (force != "true" && force != "false")
            message = "force must be true or false";
        else if (state != sandbox_state::started && state != sandbox_state::paused)
            message = "Sandbox is not started";
        else {
            go("stopping", "stopped");
            // An ephemeral sandbox (auto-delete 0) is deleted as soon as it stops.
            if (rec.info.auto_delete_interval == 0) go("destroying", "destroyed");
        }
    } else if (operation == ops::archive_sandbox.name) {
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
            ctx_.records.modify(id,
                                [](sandbox_info& s) { s.labels.erase(std::string(fail_label)); });
            go("starting", "started");
        }
    }
    if (!message.empty()) return std::nullopt;
    return path;
}

// Requests here have no body worth reading: the server discards whatever is left after the
// handler answers.
asio::awaitable<void> sandboxes::lifecycle(call& c) {
    auto rec = co_await find_sandbox(ctx_, c);
    if (!rec) co_return;
    int status = 400;
    std::string message;
    auto path = plan_lifecycle(c.ex, *rec, c.matched.name(), status, message);
    if (!path) co_return co_await send(c.ex, api_error(c.ex, status, message));
    if (path->empty()) co_return co_await send(c.ex, ctx_.sandbox_reply(c.ex, rec->info));
    auto info = states_.transition(c.ex.stream().get_executor(), rec->info.id, std::move(*path));
    if (!info) {
        // An ephemeral sandbox that was destroyed at once: report what happened to it.
        info = rec->info;
        set_state(*info, "destroyed");
        info->desired_state = "destroyed";
    }
    co_await send(c.ex, ctx_.sandbox_reply(c.ex, *info));
}

asio::awaitable<void> sandboxes::pause(call& c) {
    auto rec = co_await find_sandbox(ctx_, c);
    if (!rec) co_return;
    const auto& s = rec->info;
    // As Daytona decides: the state first, then the class (only VMs keep their memory).
    if (s.state != sandbox_state::started)
        co_return co_await send(c.ex,
                                api_error(c.ex, 400, "Sandbox must be in started state to pause"));
    if (s.sandbox_class != "linux-vm" && s.sandbox_class != "windows")
        co_return co_await send(c.ex,
                                api_error(c.ex, 422, "Pausing is not supported for this sandbox"));
    // The processes keep running (nothing here can hold a memory image), but the toolbox
    // refuses calls until start() resumes the sandbox.
    std::vector<state_step> path{{"pausing", "paused"}, {"paused", "paused"}};
    auto info = states_.transition(c.ex.stream().get_executor(), s.id, std::move(path));
    if (!info) co_return co_await send(c.ex, sandbox_not_found(c.ex, s.id));
    co_await send(c.ex, ctx_.sandbox_reply(c.ex, *info));
}

asio::awaitable<void> sandboxes::resize(call& c) {
    auto& ex = c.ex;
    auto found = co_await find_sandbox_with_body<resize_params>(ctx_, c);
    if (!found) co_return;
    const auto& s = found->first.info;
    const auto& body = found->second;
    if (s.state != sandbox_state::started && s.state != sandbox_state::stopped)
        co_return co_await send(ex,
                                api_error(ex, 400, "Sandbox must be started or stopped to resize"));
    if (!body.cpu && !body.memory_gib && !body.disk_gib)
        co_return co_await send(
            ex, api_error(ex, 400, "at least one of cpu, memory and disk is required"));
    if (body.gpu) co_return co_await send(ex, api_error(ex, 400, "GPU cannot be resized"));
    for (auto v : {body.cpu, body.memory_gib, body.disk_gib})
        if (v && *v <= 0)
            co_return co_await send(ex, api_error(ex, 400, "resources must be positive"));
    if (body.disk_gib && *body.disk_gib < s.disk)
        co_return co_await send(ex, api_error(ex, 400, "Disk size cannot be decreased"));
    if (s.state == sandbox_state::started) {
        if ((body.cpu && *body.cpu < s.cpu) || (body.memory_gib && *body.memory_gib < s.memory))
            co_return co_await send(
                ex, api_error(ex, 400,
                              "A running sandbox can only increase CPU and memory; stop it first"));
        if (body.disk_gib && *body.disk_gib != s.disk)
            co_return co_await send(
                ex, api_error(ex, 400, "Disk can only be resized while the sandbox is stopped"));
    }
    const std::string back = s.state_name;
    ctx_.records.modify(s.id, [&](sandbox_info& info) {
        if (body.cpu) info.cpu = *body.cpu;
        if (body.memory_gib) info.memory = *body.memory_gib;
        if (body.disk_gib) info.disk = *body.disk_gib;
    });
    std::vector<state_step> path{{"resizing", ""}, {back, ""}};
    auto info = states_.transition(ex.stream().get_executor(), s.id, std::move(path));
    if (!info) co_return co_await send(ex, sandbox_not_found(ex, s.id));
    co_await send(ex, ctx_.sandbox_reply(ex, *info));
}

asio::awaitable<void> sandboxes::replace_labels(call& c) {
    auto& ex = c.ex;
    // A body without `labels` is refused with 400 when it is decoded.
    auto found = co_await find_sandbox_with_body<sandbox_labels>(ctx_, c);
    if (!found) co_return;
    auto& [rec, body] = *found;
    auto info = ctx_.records.modify(rec.info.id, [&](sandbox_info& s) {
        s.labels = body.labels;
        s.updated_at = iso_time();
    });
    if (!info) co_return co_await send(ex, sandbox_not_found(ex, rec.info.id));
    const sandbox_labels labels{.labels = std::move(info->labels)};  // named: GCC 12
    co_await send(ex, encoded_reply(labels));
}

std::optional<sandbox_info> sandboxes::apply_setting(const sandbox_record& rec,
                                                     std::string_view operation,
                                                     const std::string& value, int& status,
                                                     std::string& message) {
    status = 400;
    if (operation == ops::set_public.name) {
        if (value != "true" && value != "false") {
            message = "public must be true or false";
            return std::nullopt;
        }
        status = 404;
        message = "Sandbox with ID or name " + rec.info.id + " not found";
        return ctx_.records.modify(rec.info.id,
                                   [&](sandbox_info& s) { s.is_public = value == "true"; });
    }
    const std::string what = operation == ops::set_autostop_interval.name      ? "autostop"
                             : operation == ops::set_autoarchive_interval.name ? "autoarchive"
                                                                               : "autodelete";
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
    return ctx_.records.modify(rec.info.id, [&](sandbox_info& s) {
        if (what == "autostop")
            s.auto_stop_interval = *minutes;
        else if (what == "autoarchive")
            s.auto_archive_interval = *minutes == 0 ? 43200 : *minutes;
        else
            s.auto_delete_interval = *minutes;
    });
}

asio::awaitable<void> sandboxes::setting(call& c) {
    auto rec = co_await find_sandbox(ctx_, c);
    if (!rec) co_return;
    const bool is_public = c.matched.name() == ops::set_public.name;
    int status = 400;
    std::string message;
    auto info = apply_setting(*rec, c.matched.name(), c.param(is_public ? "isPublic" : "interval"),
                              status, message);
    if (!info) co_return co_await send(c.ex, api_error(c.ex, status, message));
    co_await send(c.ex, ctx_.sandbox_reply(c.ex, *info));
}

asio::awaitable<void> sandboxes::network_settings(call& c) {
    auto& ex = c.ex;
    auto found = co_await find_sandbox_with_body<daytona::network_settings>(ctx_, c);
    if (!found) co_return;
    auto& [rec, body] = *found;
    if (!body.block_all && !body.allow_list && !body.domain_allow_list)
        co_return co_await send(ex, api_error(ex, 400, "at least one network setting is required"));
    if (body.allow_list)
        if (auto why = invalid_network_list(*body.allow_list); !why.empty())
            co_return co_await send(ex, api_error(ex, 400, why));
    auto info = ctx_.records.modify(rec.info.id, [&](sandbox_info& s) {
        if (body.block_all) s.network_block_all = *body.block_all;
        if (body.allow_list) s.network_allow_list = body.allow_list;
        if (body.domain_allow_list) s.domain_allow_list = body.domain_allow_list;
        s.updated_at = iso_time();
    });
    if (!info) co_return co_await send(ex, sandbox_not_found(ex, rec.info.id));
    co_await send(ex, ctx_.sandbox_reply(ex, *info));
}

asio::awaitable<void> sandboxes::last_activity(call& c) {
    auto rec = co_await find_sandbox(ctx_, c, "sandboxId");
    if (!rec) co_return;
    ctx_.records.modify(rec->info.id, [](sandbox_info& s) { s.last_activity_at = iso_time(); });
    co_await send(c.ex, empty_reply(201));
}

asio::awaitable<void> sandboxes::toolbox_proxy_url(call& c) {
    auto rec = co_await find_sandbox(ctx_, c, "sandboxId");
    if (!rec) co_return;
    const url_response url{.url = ctx_.origin_of(c.ex) + "/toolbox"};  // named: GCC 12
    co_await send(c.ex, encoded_reply(url));
}

asio::awaitable<void> sandboxes::build_logs_url(call& c) {
    auto rec = co_await find_sandbox(ctx_, c);
    if (!rec) co_return;
    if (!rec->info.build_info)
        co_return co_await send(
            c.ex, api_error(c.ex, 400, "Sandbox " + rec->info.id + " was not built from an image"));
    const url_response logs{.url = ctx_.origin_of(c.ex) + "/api/build-logs-stream/sandbox/" +
                                   rec->info.id};
    co_await send(c.ex, encoded_reply(logs));
}

asio::awaitable<void> sandboxes::backup(call& c) {
    auto rec = co_await find_sandbox(ctx_, c);
    if (!rec) co_return;
    if (auto refusal = refuse_unless_settled(c.ex, *rec, "be backed up"))
        co_return co_await send(c.ex, std::move(*refusal));
    // The sandbox's tree on disk is its backup: there is nothing to copy, so it completes now.
    auto info = ctx_.records.modify(rec->info.id, [](sandbox_info& s) {
        s.backup_state = "Completed";
        s.backup_created_at = iso_time();
    });
    if (!info) co_return co_await send(c.ex, sandbox_not_found(c.ex, rec->info.id));
    co_await send(c.ex, ctx_.sandbox_reply(c.ex, *info));
}

asio::awaitable<void> sandboxes::create_ssh_access(call& c) {
    auto rec = co_await find_sandbox(ctx_, c);
    if (!rec) co_return;
    double minutes = 60;
    if (auto m = c.ex.query_param("expiresInMinutes")) {
        auto [end, ec] = std::from_chars(m->data(), m->data() + m->size(), minutes);
        if (ec != std::errc{} || end != m->data() + m->size() || minutes <= 0 ||
            minutes > 60 * 24 * 365)
            co_return co_await send(
                c.ex, api_error(c.ex, 400, "expiresInMinutes must be a positive number"));
    }
    const auto now = std::chrono::system_clock::now();
    const auto expires = now + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                   std::chrono::duration<double, std::ratio<60>>(minutes));
    daytona::ssh_access access{.id = new_uuid(),
                               .sandbox_id = rec->info.id,
                               .token = random_token(32),
                               .expires_at = iso_time(expires),
                               .created_at = iso_time(now),
                               .updated_at = iso_time(now)};
    // The gateway Daytona names listens on port 2222; the emulator runs none.
    const auto origin = ctx_.origin_of(c.ex);  // http://host:port
    auto host = std::string_view(origin).substr(origin.find("://") + 3);
    host = host.substr(0, host.rfind(':'));
    access.ssh_command = "ssh -p 2222 " + access.token + "@" + std::string(host);
    {
        std::lock_guard lock(ssh_mu_);
        // A new token revokes the sandbox's earlier ones, as Daytona does.
        std::erase_if(ssh_grants_,
                      [&](const auto& g) { return g.second.sandbox_id == rec->info.id; });
        ssh_grants_[access.token] = ssh_grant{rec->info.id, expires};
    }
    co_await send(c.ex, encoded_reply(access));
}

asio::awaitable<void> sandboxes::revoke_ssh_access(call& c) {
    auto rec = co_await find_sandbox(ctx_, c);
    if (!rec) co_return;
    const auto token = c.ex.query_param("token").value_or("");
    {
        std::lock_guard lock(ssh_mu_);
        std::erase_if(ssh_grants_, [&](const auto& g) {
            return g.second.sandbox_id == rec->info.id && (token.empty() || g.first == token);
        });
    }
    co_await send(c.ex, ctx_.sandbox_reply(c.ex, rec->info));
}

asio::awaitable<void> sandboxes::validate_ssh_access(call& c) {
    auto token = c.ex.query_param("token");
    if (!token || token->empty())
        co_return co_await send(c.ex, api_error(c.ex, 400, "token is required"));
    ssh_access_validation v;
    {
        std::lock_guard lock(ssh_mu_);
        auto it = ssh_grants_.find(*token);
        if (it != ssh_grants_.end() && it->second.expires_at >= std::chrono::system_clock::now()) {
            v.valid = true;
            v.sandbox_id = it->second.sandbox_id;
        }
    }
    // A token of a sandbox deleted since is no longer valid.
    if (v.valid && !ctx_.records.find(*v.sandbox_id)) v = {};
    co_await send(c.ex, encoded_reply(v));
}

}  // namespace sandboxes_impl

asio::awaitable<std::optional<sandbox_record>> find_sandbox(context& ctx, call& c,
                                                            std::string_view param) {
    const auto& key = c.param(param);
    auto rec = ctx.records.find(key);
    if (!rec) co_await send(c.ex, sandbox_not_found(c.ex, key));
    co_return rec;
}

void add_sandbox_routes(route_table& table, context& ctx, state_machine& states) {
    using sandboxes_impl::sandboxes;
    namespace ops = api::ops;
    table.add(std::make_shared<sandboxes>(ctx, states),
              {{ops::list_sandboxes, &sandboxes::list},
               {ops::create_sandbox, &sandboxes::create},
               {ops::get_sandbox, &sandboxes::get},
               {ops::delete_sandbox, &sandboxes::remove},
               {ops::start_sandbox, &sandboxes::lifecycle},
               {ops::stop_sandbox, &sandboxes::lifecycle},
               {ops::archive_sandbox, &sandboxes::lifecycle},
               {ops::recover_sandbox, &sandboxes::lifecycle},
               {ops::pause_sandbox, &sandboxes::pause},
               {ops::resize_sandbox, &sandboxes::resize},
               {ops::replace_labels, &sandboxes::replace_labels},
               {ops::set_public, &sandboxes::setting},
               {ops::set_autostop_interval, &sandboxes::setting},
               {ops::set_autoarchive_interval, &sandboxes::setting},
               {ops::set_autodelete_interval, &sandboxes::setting},
               {ops::update_network_settings, &sandboxes::network_settings},
               {ops::update_last_activity, &sandboxes::last_activity},
               {ops::get_toolbox_proxy_url, &sandboxes::toolbox_proxy_url},
               {ops::get_build_logs_url, &sandboxes::build_logs_url},
               {ops::create_backup, &sandboxes::backup},
               {ops::create_ssh_access, &sandboxes::create_ssh_access},
               {ops::revoke_ssh_access, &sandboxes::revoke_ssh_access},
               {ops::validate_ssh_access, &sandboxes::validate_ssh_access}});
}

}  // namespace daytona::emulator
