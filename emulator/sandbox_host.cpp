// SPDX-License-Identifier: Apache-2.0
#include "sandbox_host.hpp"

#include "util.hpp"

#include <daytona/detail/string.hpp>

#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>

namespace daytona::emulator {

namespace sandbox_host_impl {

bool within(const fs::path& p, const fs::path& base) {
    auto rel = p.lexically_relative(base);
    return !rel.empty() && *rel.begin() != "..";
}

/// The fields of the first line of a passwd or group file (under `upper`, else the host's)
/// whose field `index` is `key`.
std::optional<std::vector<std::string>> entry(const fs::path& upper, std::string_view name,
                                              std::string_view key, std::size_t index) {
    std::error_code ec;
    const fs::path own = upper / "etc" / std::string(name);
    std::ifstream in(fs::exists(own, ec) ? own : fs::path("/etc") / std::string(name));
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> fields;
        for (std::size_t at = 0;;) {
            const auto colon = line.find(':', at);
            fields.push_back(line.substr(at, colon - at));
            if (colon == std::string::npos) break;
            at = colon + 1;
        }
        if (fields.size() > index && fields[index] == key) return fields;
    }
    return std::nullopt;
}

/// The labelled log and the exit-code file of the entrypoint as a session command has them:
/// each stdout line behind 01 01 01, each stderr line behind 02 02 02, the exit code written
/// only once both labellers have flushed. $1 is the log, $2 the exit-code file, the rest the
/// command. It runs in the background, so the launching shell exits at once.
constexpr const char* entrypoint_script = R"(log=$1; exit_file=$2; shift 2
if awk -W version 2>&1 | grep -q mawk; then awk_cmd='awk -W interactive'; else awk_cmd=awk; fi
(
  exec {o}> >(exec $awk_cmd '{printf "%s", "\001\001\001" $0 "\n"; fflush()}' >>"$log"); p1=$!
  exec {e}> >(exec $awk_cmd '{printf "%s", "\002\002\002" $0 "\n"; fflush()}' >>"$log"); p2=$!
  "$@" >&$o 2>&$e </dev/null
  rc=$?
  exec {o}>&- {e}>&-
  wait $p1 $p2 2>/dev/null
  echo $rc >"$exit_file.tmp" && mv "$exit_file.tmp" "$exit_file"
) </dev/null >/dev/null 2>&1 &
)";

}  // namespace sandbox_host_impl

std::optional<image_user> resolve_image_user(const fs::path& upper, std::string_view user,
                                             std::string* why) {
    using sandbox_host_impl::entry;
    const auto colon = user.find(':');
    const auto name = user.substr(0, colon);
    const auto group =
        colon == std::string_view::npos ? std::string_view() : user.substr(colon + 1);
    image_user out;
    auto passwd = entry(upper, "passwd", name, 0);
    if (!passwd) {
        auto uid = detail::parse_uint<uid_t>(name);
        if (!uid) {
            if (why)
                *why = "unable to find user " + std::string(name) +
                       ": no matching entries in passwd file";
            return std::nullopt;
        }
        out.identity.uid = *uid;
        passwd = entry(upper, "passwd", name, 2);
    }
    if (passwd && passwd->size() >= 7) {
        out.name = (*passwd)[0];
        out.identity.uid = detail::parse_uint<uid_t>((*passwd)[2]).value_or(out.identity.uid);
        out.identity.gid = detail::parse_uint<gid_t>((*passwd)[3]).value_or(0);
        out.home = (*passwd)[5];
    } else {
        out.name = std::string(name);
    }
    if (!group.empty()) {
        if (auto gr = entry(upper, "group", group, 0); gr && gr->size() >= 3) {
            out.identity.gid = detail::parse_uint<gid_t>((*gr)[2]).value_or(0);
        } else if (auto gid = detail::parse_uint<gid_t>(group)) {
            out.identity.gid = *gid;
        } else {
            if (why)
                *why = "unable to find group " + std::string(group) +
                       ": no matching entries in group file";
            return std::nullopt;
        }
    }
    // The primary group, then every group that lists the user as a member (as Docker does).
    out.identity.groups.push_back(out.identity.gid);
    std::error_code ec;
    const fs::path own = upper / "etc" / "group";
    std::ifstream in(fs::exists(own, ec) ? own : fs::path("/etc/group"));
    for (std::string line; std::getline(in, line);) {
        auto last = line.rfind(':');
        auto third = line.rfind(':', last == 0 ? 0 : last - 1);
        if (last == std::string::npos || third == std::string::npos || third == last) continue;
        std::string_view members = std::string_view(line).substr(last + 1);
        bool listed = false;
        while (!members.empty() && !listed) {
            const auto comma = members.find(',');
            listed = members.substr(0, comma) == out.name;
            members =
                comma == std::string_view::npos ? std::string_view() : members.substr(comma + 1);
        }
        auto gid =
            detail::parse_uint<gid_t>(std::string_view(line).substr(third + 1, last - third - 1));
        if (listed && gid &&
            std::find(out.identity.groups.begin(), out.identity.groups.end(), *gid) ==
                out.identity.groups.end())
            out.identity.groups.push_back(*gid);
    }
    return out;
}

std::string sandbox_host::absolute_in_sandbox(const sandbox_record& rec, std::string_view p) {
    std::string joined =
        !p.empty() && p.front() == '/' ? std::string(p) : rec.home_path() + "/" + std::string(p);
    // Resolve "." and ".." lexically, clamping at "/" as chroot does.
    std::vector<std::string_view> parts;
    std::string_view rest = joined;
    while (!rest.empty()) {
        auto slash = rest.find('/');
        auto part = rest.substr(0, slash);
        if (part == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    std::string out;
    for (auto part : parts)
        out.append("/").append(part);
    return out.empty() ? "/" : out;
}

std::optional<fs::path> sandbox_host::host_path(const sandbox_record& rec, std::string_view p,
                                                std::string* why) const {
    if (p.find('\0') != std::string_view::npos) {
        if (why) *why = "path contains a NUL byte";
        return std::nullopt;
    }
    const auto abs = absolute_in_sandbox(rec, p);
    // A path inside a mounted volume lives in the volume's directory.
    fs::path base = rec.root();
    std::string rel = abs.substr(1);
    std::size_t best = 0;
    std::vector<fs::path> allowed{rec.root()};
    for (const auto& m : rec.info.volumes) {
        fs::path dir = volume_source(m);
        allowed.push_back(dir);
        const auto& mp = m.mount_path;
        if (mp.size() > best && (abs == mp || (abs.starts_with(mp) && abs[mp.size()] == '/'))) {
            best = mp.size();
            base = dir;
            rel = abs.size() > mp.size() ? abs.substr(mp.size() + 1) : std::string();
        }
    }
    fs::path candidate = rel.empty() ? base : base / rel;
    // Symbolic links are followed the way the kernel would, then the result must still be inside
    // the sandbox (or one of its volumes): a link to /etc is refused, not followed out.
    std::error_code ec;
    fs::path real = fs::weakly_canonical(candidate, ec);
    if (ec) real = candidate.lexically_normal();
    // The bases are compared as built, not resolved: the data directory is canonical (see
    // emulator::start), and a volume subpath that is itself a link must not widen what is allowed.
    for (const auto& a : allowed)
        if (real == a || sandbox_host_impl::within(real, a)) return candidate;
    if (why) *why = "path " + std::string(p) + " leaves the sandbox through a symbolic link";
    return std::nullopt;
}

std::string sandbox_host::sandbox_path(const sandbox_record& rec, const fs::path& host) const {
    for (const auto& m : rec.info.volumes) {
        fs::path dir = volume_source(m);
        if (host == dir) return m.mount_path;
        if (sandbox_host_impl::within(host, dir))
            return m.mount_path + "/" + host.lexically_relative(dir).string();
    }
    if (host == rec.root()) return "/";
    return "/" + host.lexically_relative(rec.root()).string();
}

std::optional<image_config> sandbox_host::image_of(const sandbox_record& rec) const {
    if (!namespaces_) return std::nullopt;
    return read_image_config(rec.dir / "image.cfg");
}

bool sandbox_host::own_root(const sandbox_record& rec) const {
    std::error_code ec;
    return namespaces_ && fs::exists(rec.dir / "image.cfg", ec);
}

std::string sandbox_host::process_path(const sandbox_record& rec,
                                       std::string_view sandbox_abs) const {
    if (own_root(rec)) return std::string(sandbox_abs);
    // With a mount namespace the sandbox's /home and /tmp are mounted where they belong.
    if (namespaces_ && (sandbox_abs == "/home" || sandbox_abs.starts_with("/home/") ||
                        sandbox_abs == "/tmp" || sandbox_abs.starts_with("/tmp/")))
        return std::string(sandbox_abs);
    if (sandbox_abs == "/") return rec.root().string();
    return (rec.root() / std::string(sandbox_abs.substr(1))).string();
}

spawn_spec sandbox_host::process_spec(const sandbox_record& rec, std::vector<std::string> argv,
                                      std::string_view cwd,
                                      const std::map<std::string, std::string>& extra_env) const {
    std::map<std::string, std::string> env;
    const auto image = image_of(rec);
    env["PATH"] = container_path;  // the sandbox's env may override it
    env["HOME"] = process_path(rec, rec.home_path());
    env["USER"] = env["LOGNAME"] = rec.user();
    env["SHELL"] = "/bin/bash";
    env["LANG"] = "C.UTF-8";
    env["HOSTNAME"] = rec.info.name;
    env["TMPDIR"] = process_path(rec, "/tmp");
    env["DAYTONA_SANDBOX_ID"] = rec.info.id;
    env["DAYTONA_SANDBOX_USER"] = rec.user();
    env["DAYTONA_SANDBOX_ROOT"] = rec.root().string();
    // The image's USER: who the process runs as, its name and (from the passwd file) its home.
    std::optional<image_user> user;
    std::string unknown_user;
    if (image && !image->user.empty()) {
        user = resolve_image_user(rec.root(), image->user, &unknown_user);
        if (user) {
            env["USER"] = env["LOGNAME"] = user->name;
            if (!user->home.empty()) env["HOME"] = user->home;
        }
    }
    if (image)
        for (const auto& [k, v] : image->env)
            env[k] = v;
    for (const auto& [k, v] : rec.info.env)
        env[k] = v;
    for (const auto& [k, v] : extra_env)
        env[k] = v;
    spawn_spec spec;
    spec.argv = std::move(argv);
    for (auto& [k, v] : env)
        spec.env.push_back(k + "=" + v);
    const std::string_view where =
        cwd.empty() && image && !image->workdir.empty() ? std::string_view(image->workdir) : cwd;
    spec.cwd = process_path(rec, absolute_in_sandbox(rec, where));
    if (image) {
        // The image's root: an overlay of the host's / under the sandbox's tree, entered with
        // chroot; the sandbox's /home, /tmp and volumes are bound in exactly, as for any sandbox.
        static std::atomic<std::uint64_t> counter{0};
        const fs::path work = rec.dir / "overlay-work" / std::to_string(++counter);
        const fs::path merged = rec.dir / "root";
        std::error_code ec;
        fs::create_directories(work, ec);
        fs::create_directories(merged, ec);
        spec.setup = overlay_root_steps(rec.root(), work, merged, false);
        for (const auto& m : rec.info.volumes)
            spec.mounts.push_back(
                {volume_source(m).string(), (merged / m.mount_path.substr(1)).string()});
        spec.mounts.push_back({(rec.root() / "home").string(), (merged / "home").string()});
        spec.mounts.push_back({(rec.root() / "tmp").string(), (merged / "tmp").string()});
        spec.chroot_dir = merged.string();
        add_host_dirs(rec, spec);
        if (user)
            spec.identity = user->identity;
        else if (!unknown_user.empty())
            spec.refusal = "the image's USER cannot run: " + unknown_user;
    } else if (namespaces_) {
        // Volumes first, into the sandbox tree, so the /home and /tmp binds (recursive) carry them.
        for (const auto& m : rec.info.volumes) {
            fs::path dir = volume_source(m);
            spec.mounts.push_back({dir.string(), (rec.root() / m.mount_path.substr(1)).string()});
        }
        spec.mounts.push_back({(rec.root() / "home").string(), "/home"});
        spec.mounts.push_back({(rec.root() / "tmp").string(), "/tmp"});
        add_host_dirs(rec, spec);
    }
    return spec;
}

void sandbox_host::hand_over(const sandbox_record& rec, const fs::path& p) const {
    const auto image = image_of(rec);
    if (!image || image->user.empty()) return;
    const auto user = resolve_image_user(rec.root(), image->user);
    if (!user || user->identity.uid == 0) return;
    if (::lchown(p.c_str(), user->identity.uid, user->identity.gid) != 0) {
        // The process then fails to write there and says so; nothing to add here.
    }
}

void sandbox_host::start_entrypoint(const sandbox_record& rec, sandbox_runtime& rt) const {
    const auto image = image_of(rec);
    if (!image || (image->entrypoint.empty() && image->cmd.empty())) return;
    {
        std::lock_guard lock(rt.mu);
        if (rt.sessions.count("entrypoint") != 0) return;
    }
    auto s = std::make_shared<session>();
    s->id = "entrypoint";
    const std::string dir = "/tmp/.daytona/sessions/entrypoint";
    s->dir = rec.root() / dir.substr(1);
    s->shell_dir = process_path(rec, dir);
    std::error_code ec;
    fs::remove_all(s->dir, ec);
    fs::create_directories(s->dir, ec);
    hand_over(rec, s->dir);
    auto c = std::make_shared<session_command>();
    c->id = new_uuid();
    std::vector<std::string> argv = image->entrypoint;
    argv.insert(argv.end(), image->cmd.begin(), image->cmd.end());
    for (const auto& a : argv)
        c->command += (c->command.empty() ? "" : " ") + a;
    c->log = s->dir / "output.log";
    c->exit_file = s->dir / "exit";
    {
        std::ofstream log(c->log, std::ios::binary);  // exists from the start, for followers
    }
    hand_over(rec, c->log);
    std::vector<std::string> launcher{"/bin/bash",
                                      "--noprofile",
                                      "--norc",
                                      "-c",
                                      sandbox_host_impl::entrypoint_script,
                                      "entrypoint",
                                      s->shell_dir + "/output.log",
                                      s->shell_dir + "/exit"};
    launcher.insert(launcher.end(), argv.begin(), argv.end());
    auto spec = process_spec(rec, std::move(launcher), "", {});
    std::string why;
    auto child = spawn_process(spec, why);
    if (child.pid < 0) {
        // Logged where a client looks for it, as a command that could not start.
        std::ofstream(c->log, std::ios::binary | std::ios::app)
            << "\x02\x02\x02"
            << "entrypoint could not start: " << why << "\n";
        std::ofstream(c->exit_file, std::ios::binary) << "127\n";
    } else {
        // The launching shell exits once the entrypoint runs in the background; the group it
        // leads lives on with the entrypoint in it.
        s->pid = child.pid;
        ::waitpid(child.pid, nullptr, 0);
    }
    s->commands.push_back(std::move(c));
    std::lock_guard lock(rt.mu);
    if (!rt.sessions.emplace(s->id, s).second && s->pid > 0) ::kill(-s->pid, SIGKILL);
}

sandbox_host::sandbox_host(const store& records, bool namespaces,
                           const std::vector<fs::path>& host_dirs)
    : records_(records), namespaces_(namespaces) {
    for (const auto& given : host_dirs) {
        const auto dir = given.lexically_normal();
        const auto rel = dir.relative_path();
        const auto first = rel.empty() ? fs::path() : *rel.begin();
        std::error_code ec;
        if (dir.is_absolute() && (first == "home" || first == "tmp") && fs::is_directory(dir, ec))
            hidden_host_dirs_.push_back(dir);
    }
}

void sandbox_host::add_host_dirs(const sandbox_record& rec, spawn_spec& spec) const {
    for (const auto& dir : hidden_host_dirs_) {
        // The mount point, made in the sandbox's tree; the binds run in the process's own
        // namespace (setup steps come before its /home and /tmp binds).
        const auto point = rec.root() / dir.relative_path();
        std::error_code ec;
        fs::create_directories(point, ec);
        if (ec) continue;
        spec.setup.push_back({.kind = setup_step::mount,
                              .source = dir.string(),
                              .target = point.string(),
                              .flags = MS_BIND | MS_REC});
        spec.setup.push_back({.kind = setup_step::mount,
                              .target = point.string(),
                              .flags = MS_BIND | MS_REMOUNT | MS_RDONLY});
    }
}

fs::path sandbox_host::volume_source(const volume_mount& m) const {
    fs::path dir = records_.volume_dir(m.volume_id);
    if (m.subpath) dir /= fs::path(*m.subpath).relative_path();
    return dir;
}

void sandbox_host::prepare_volumes(const sandbox_record& rec) const {
    for (const auto& m : rec.info.volumes) {
        fs::path dir = volume_source(m);
        std::error_code ec;
        fs::create_directories(dir, ec);
        fs::path point = rec.root() / m.mount_path.substr(1);
        fs::create_directories(point.parent_path(), ec);
        // A bind mount needs a directory to mount on; without namespaces a link stands in for it.
        if (namespaces_)
            fs::create_directories(point, ec);
        else
            fs::create_directory_symlink(dir, point, ec);
    }
}

}  // namespace daytona::emulator
