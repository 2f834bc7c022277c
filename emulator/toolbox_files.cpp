// SPDX-License-Identifier: Apache-2.0
// /toolbox/{id}/files/...: the daemon's file system API. Every path goes through host_path(), so
// nothing outside the sandbox (or its volumes) can be named. Uploads stream to disk through the
// multipart parser: a body of any size never sits in memory.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/files.hpp>
#include <daytona/codec/sandbox.hpp>

#include <daytona/detail/percent.hpp>
#include <daytona/detail/string.hpp>
#include <daytona/http/multipart.hpp>
#include <daytona/json/reader.hpp>
#include <daytona/json/writer.hpp>

#include <fcntl.h>
#include <fnmatch.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <fstream>

namespace daytona::emulator {

namespace files_impl {

namespace ops = api::ops;

std::string mode_string(const struct stat& st) {
    std::string m = S_ISDIR(st.st_mode) ? "d" : S_ISLNK(st.st_mode) ? "L" : "-";
    const char* rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; ++i)
        m += (st.st_mode & (0400 >> i)) ? rwx[i] : '-';
    return m;
}

std::string iso_of(const struct timespec& ts) {
    using namespace std::chrono;
    return iso_time(system_clock::time_point(
        duration_cast<system_clock::duration>(seconds(ts.tv_sec) + nanoseconds(ts.tv_nsec))));
}

/// The MIME type the daemon sends for a file name.
std::string_view mime_of(std::string_view name) {
    auto dot = name.rfind('.');
    auto ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
    if (ext == "txt" || ext == "md" || ext == "log") return "text/plain; charset=utf-8";
    if (ext == "json") return "application/json";
    if (ext == "html" || ext == "htm") return "text/html; charset=utf-8";
    if (ext == "png") return "image/png";
    if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
    if (ext == "py") return "text/x-python; charset=utf-8";
    return "application/octet-stream";
}

/// A bulk-download part that reports one path's failure as a daemon ErrorResponse.
std::string error_part(std::string_view boundary, bool first, const std::string& disposition_tail,
                       int status, std::string_view code, std::string message) {
    std::string json;
    json::writer w(json);
    w.begin_object()
        .member("message", valid_utf8(message))
        .member("statusCode", status)
        .member("code", code)
        .member("source", "DAYTONA_DAEMON")
        .end_object();
    http::fields ph;
    ph.add("Content-Disposition", "form-data; name=\"error\"" + disposition_tail);
    ph.add("Content-Type", "application/json; charset=utf-8");
    return http::multipart::part_head(boundary, ph, first) + json;
}

/// A uid or gid for chown from a number or a host name. The sandbox user is the emulator's own
/// user, so it (and no value) means "leave as is" (-1); nullopt for an unknown name.
std::optional<unsigned> owner_id(const std::optional<std::string>& v,
                                 const std::string& sandbox_user, bool group) {
    if (!v || v->empty() || *v == sandbox_user) return static_cast<unsigned>(-1);
    if (auto n = detail::parse_uint<unsigned>(*v)) return *n;
    if (group) {
        if (auto* g = ::getgrnam(v->c_str())) return g->gr_gid;
    } else if (auto* u = ::getpwnam(v->c_str())) {
        return u->pw_uid;
    }
    return std::nullopt;
}

/// An upload's file, written beside its destination under a temporary name and renamed over it
/// only when complete. A crash, a dropped connection or a failed write never leaves the
/// destination half written (an acknowledged file that is being overwritten stays whole until
/// the new one is), and an overwritten file keeps its permission bits.
///
/// While the upload runs, a symlink to the temporary file sits in the sandbox's
/// `uploads_in_flight()` directory, outside the sandbox's own tree, so that a restart after a
/// crash removes exactly the temporary files that were left (store::store does) without
/// walking the sandbox's files or guessing from names.
class staged_file {
public:
    staged_file() = default;
    staged_file(staged_file&& other) noexcept
        : dest_(std::move(other.dest_))
        , temp_(std::move(other.temp_))
        , entry_(std::move(other.entry_))
        , fd_(std::move(other.fd_)) {
        other.temp_.clear();
        other.entry_.clear();
    }
    staged_file& operator=(staged_file&& other) noexcept {
        discard();
        dest_ = std::move(other.dest_);
        temp_ = std::move(other.temp_);
        entry_ = std::move(other.entry_);
        fd_ = std::move(other.fd_);
        other.temp_.clear();
        other.entry_.clear();
        return *this;
    }
    ~staged_file() { discard(); }

    /// Creates the temporary file for `dest` (and dest's parent directories), recorded in
    /// `in_flight`; empty on failure, with errno saying why.
    static staged_file create(const fs::path& dest, const fs::path& in_flight) {
        std::error_code ec;
        fs::create_directories(dest.parent_path(), ec);
        fs::create_directories(in_flight, ec);
        struct stat existing {};
        const bool overwrite = ::stat(dest.c_str(), &existing) == 0 && S_ISREG(existing.st_mode);
        staged_file f;
        for (int attempt = 0; attempt < 8 && !f.fd_; ++attempt) {
            const auto token = random_token(12);
            auto temp = dest.parent_path() / ("." + dest.filename().string() + ".upload-" + token);
            // The record first: a crash between the two leaves a dangling link, never an
            // unrecorded file.
            auto entry = in_flight / token;
            if (::symlink(temp.c_str(), entry.c_str()) != 0) {
                if (errno == EEXIST) continue;
                return {};
            }
            f.fd_ = unique_fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
            if (f.fd_) {
                f.temp_ = std::move(temp);
                f.entry_ = std::move(entry);
            } else {
                const int saved = errno;
                ::unlink(entry.c_str());
                if (saved != EEXIST) {
                    errno = saved;
                    return {};
                }
            }
        }
        if (!f.fd_) return {};
        if (overwrite && ::fchmod(f.fd_.get(), existing.st_mode & 07777) != 0) {
            const int saved = errno;
            f.discard();
            errno = saved;
            return {};
        }
        f.dest_ = dest;
        return f;
    }

    explicit operator bool() const noexcept { return static_cast<bool>(fd_); }
    int fd() const noexcept { return fd_.get(); }

    /// Closes the file and renames it over the destination; false (errno says why) if either
    /// fails, in which case the temporary file is removed and the destination is untouched.
    bool commit() {
        if (!fd_) return false;
        if (::close(fd_.release()) != 0 || ::rename(temp_.c_str(), dest_.c_str()) != 0) {
            const int saved = errno;
            discard();
            errno = saved;
            return false;
        }
        temp_.clear();
        forget_entry();
        return true;
    }

    /// Drops the upload: the temporary file is removed, the destination is untouched.
    void discard() noexcept {
        fd_.reset();
        if (!temp_.empty()) ::unlink(temp_.c_str());
        temp_.clear();
        forget_entry();
    }

private:
    void forget_entry() noexcept {
        if (!entry_.empty()) ::unlink(entry_.c_str());
        entry_.clear();
    }

    fs::path dest_, temp_, entry_;
    unique_fd fd_;
};

bool is_true(const std::optional<std::string>& v) {
    return v && (*v == "true" || *v == "1");
}

/// Writes each uploaded file straight to its destination as the multipart parts arrive.
class upload_writer final : public http::multipart::handler, public http::body_sink {
public:
    /// `resolve` maps a requested path to a host path (or an error); `single` names the one
    /// destination of the single-file upload routes, whose part is called "file".
    using resolver = std::function<std::optional<fs::path>(std::string_view, std::string&)>;
    upload_writer(std::string boundary, fs::path in_flight, resolver resolve,
                  std::optional<fs::path> single = std::nullopt)
        : parser_(std::move(boundary), *this)
        , in_flight_(std::move(in_flight))
        , resolve_(std::move(resolve))
        , single_(std::move(single)) {}

    struct file_result {
        std::string path;
        std::uint64_t bytes = 0;
    };
    std::vector<file_result> files;
    std::vector<std::string> errors;
    bool saw_single_part = false;

    // body_sink: bytes of the request body.
    result<void> write(std::string_view data) override { return parser_.feed(data); }
    result<void> finish() override { return parser_.finish(); }

    // multipart::handler
    result<void> on_part(const http::fields& headers) override {
        auto name =
            http::multipart::header_param(headers.get("content-disposition"), "name").value_or("");
        mode_ = part::ignore;
        if (single_) {
            if (name == "file") {
                saw_single_part = true;
                open(*single_, "");
            }
            return {};
        }
        // files[i].path / files[i].file
        if (!name.starts_with("files[")) return {};
        auto close = name.find(']');
        if (close == std::string::npos) return {};
        index_ = name.substr(6, close - 6);
        auto field = name.substr(close + 1);
        if (field == ".path") {
            mode_ = part::path;
            path_text_.clear();
        } else if (field == ".file") {
            auto it = paths_.find(index_);
            if (it == paths_.end()) {
                errors.push_back("files[" + index_ + "].file came before its path");
                return {};
            }
            std::string why;
            auto host = resolve_(it->second, why);
            if (!host) {
                errors.push_back(it->second + ": " + why);
                return {};
            }
            open(*host, it->second);
        }
        return {};
    }
    result<void> on_data(std::string_view data) override {
        if (mode_ == part::path) {
            if (path_text_.size() + data.size() > 8192)
                return error(make_error_code(errc::invalid_argument), "path part too long");
            path_text_.append(data);
        } else if (mode_ == part::file && file_) {
            if (write_all(file_.fd(), data)) {
                current_.bytes += data.size();
            } else {
                errors.push_back(current_.path + ": " + std::strerror(errno));
                file_.discard();
            }
        }
        return {};
    }
    result<void> on_part_end() override {
        if (mode_ == part::path) paths_[index_] = std::string(detail::trim(path_text_));
        if (mode_ == part::file && file_) {
            if (file_.commit())
                files.push_back(current_);
            else
                errors.push_back(current_.path + ": " + std::strerror(errno));
        }
        mode_ = part::ignore;
        return {};
    }

private:
    enum class part { ignore, path, file };
    void open(const fs::path& host, std::string shown) {
        file_ = staged_file::create(host, in_flight_);
        if (!file_) {
            errors.push_back(shown + ": " + std::strerror(errno));
            return;
        }
        mode_ = part::file;
        current_ = {std::move(shown), 0};
    }

    http::multipart::parser parser_;
    fs::path in_flight_;
    resolver resolve_;
    std::optional<fs::path> single_;
    std::map<std::string, std::string> paths_;
    std::string index_, path_text_;
    part mode_ = part::ignore;
    staged_file file_;  // discarded unless its part ended: a body cut short changes nothing
    file_result current_;
};

std::string no_such_file(std::string_view shown) {
    return "open " + std::string(shown) + ": no such file or directory";
}

reply file_not_found(const exchange& ex, std::string_view shown) {
    return toolbox_error(ex, 404, "FILE_NOT_FOUND", no_such_file(shown));
}

/// A file named in the query: its host path, and the path as the sandbox shows it.
struct named_file {
    fs::path host;
    std::string shown;
};

class files {
public:
    explicit files(context& ctx) : ctx_(ctx) {}

    asio::awaitable<void> list(call& c);
    asio::awaitable<void> info(call& c);
    asio::awaitable<void> remove(call& c);
    asio::awaitable<void> create_folder(call& c);
    asio::awaitable<void> move(call& c);
    asio::awaitable<void> set_permissions(call& c);
    /// find (lines containing the pattern) and search (names matching the glob).
    asio::awaitable<void> find(call& c);
    asio::awaitable<void> download(call& c);
    asio::awaitable<void> bulk_download(call& c);
    asio::awaitable<void> bulk_upload(call& c);
    /// upload and upload-v2.
    asio::awaitable<void> upload(call& c);
    asio::awaitable<void> replace(call& c);

private:
    /// The file the query parameter `param` names; nullopt after answering 400 or 403.
    asio::awaitable<std::optional<named_file>> resolve(call& c, std::string_view param);
    void write_file_info(json::writer& w, const sandbox_record& rec, const fs::path& host,
                         std::string_view name) const;

    context& ctx_;
};

asio::awaitable<std::optional<named_file>> files::resolve(call& c, std::string_view param) {
    auto value = c.ex.query_param(param);
    if (!value) {
        co_await send(c.ex, toolbox_error(c.ex, 400, "INVALID_FILE_PATH",
                                          std::string(param) + " is required"));
        co_return std::nullopt;
    }
    std::string why;
    auto host = ctx_.host.host_path(c.sandbox(), *value, &why);
    if (!host) {
        co_await send(c.ex, toolbox_error(c.ex, 403, "FILE_ACCESS_DENIED", why));
        co_return std::nullopt;
    }
    co_return named_file{std::move(*host), ctx_.host.absolute_in_sandbox(c.sandbox(), *value)};
}

void files::write_file_info(json::writer& w, const sandbox_record& rec, const fs::path& host,
                            std::string_view name) const {
    struct stat st {};
    if (::lstat(host.c_str(), &st) != 0) return;
    if (S_ISLNK(st.st_mode)) {
        struct stat target {};
        if (::stat(host.c_str(), &target) == 0) st = target;  // report what the link points at
    }
    auto owner_name = [&](bool group) -> std::string {
        const auto id = group ? st.st_gid : st.st_uid;
        if (id == (group ? ::getgid() : ::getuid())) return rec.user();  // the sandbox user is us
        return std::to_string(id);
    };
    char perms[8];
    std::snprintf(perms, sizeof perms, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    const auto modified = iso_of(st.st_mtim);
    w.begin_object()
        .member("name", name)
        .member("path", ctx_.host.sandbox_path(rec, host))
        .member("isDir", S_ISDIR(st.st_mode))
        .member("size", static_cast<std::uint64_t>(st.st_size))
        .member("mode", mode_string(st))
        .member("permissions", std::string(perms))
        .member("modTime", modified)
        .member("modifiedAt", modified)
        .member("owner", owner_name(false))
        .member("group", owner_name(true))
        .end_object();
}

asio::awaitable<void> files::list(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    named_file dir{rec.home(), rec.home_path()};  // the home directory unless a path is given
    if (ex.query_param("path")) {
        auto target = co_await resolve(c, "path");
        if (!target) co_return;
        dir = std::move(*target);
    }
    std::error_code ec;
    if (!fs::exists(dir.host, ec)) co_return co_await send(ex, file_not_found(ex, dir.shown));
    if (!fs::is_directory(dir.host, ec))
        co_return co_await send(
            ex, toolbox_error(ex, 400, "INVALID_FILE_PATH", dir.shown + " is not a directory"));
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(dir.host, ec))
        entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    std::string out;
    json::writer w(out);
    w.begin_array();
    for (const auto& e : entries)
        write_file_info(w, rec, e, valid_utf8(e.filename().string()));
    w.end_array();
    co_await send(ex, json_reply(200, std::move(out)));
}

asio::awaitable<void> files::info(call& c) {
    auto target = co_await resolve(c, "path");
    if (!target) co_return;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(target->host, ec)))
        co_return co_await send(c.ex, file_not_found(c.ex, target->shown));
    std::string out;
    json::writer w(out);
    write_file_info(w, c.sandbox(), target->host, valid_utf8(target->host.filename().string()));
    co_await send(c.ex, json_reply(200, std::move(out)));
}

asio::awaitable<void> files::remove(call& c) {
    auto& ex = c.ex;
    auto target = co_await resolve(c, "path");
    if (!target) co_return;
    const auto& [host, shown] = *target;
    if (shown == "/" || host == c.sandbox().root())
        co_return co_await send(
            ex, toolbox_error(ex, 400, "INVALID_FILE_PATH", "cannot delete the root directory"));
    std::error_code ec;
    auto st = fs::symlink_status(host, ec);
    if (!fs::exists(st)) co_return co_await send(ex, file_not_found(ex, shown));
    if (fs::is_directory(st) && !is_true(ex.query_param("recursive")))
        co_return co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST",
                                                  shown + " is a directory; set recursive=true"));
    fs::remove_all(host, ec);
    if (ec) co_return co_await send(ex, toolbox_error(ex, 500, "FILE_DELETE_FAILED", ec.message()));
    co_await send(ex, empty_reply(204));
}

asio::awaitable<void> files::create_folder(call& c) {
    auto& ex = c.ex;
    auto target = co_await resolve(c, "path");
    if (!target) co_return;
    const auto& [host, shown] = *target;
    auto mode = parse_mode(ex.query_param("mode").value_or("755"));
    if (!mode || *mode > 07777)
        co_return co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST", "invalid mode"));
    std::error_code ec;
    fs::create_directories(host, ec);
    if (ec || !fs::is_directory(host))
        co_return co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST",
                                                  "cannot create " + shown + ": " + ec.message()));
    ::chmod(host.c_str(), *mode);
    co_await send(ex, empty_reply(201));
}

asio::awaitable<void> files::move(call& c) {
    auto& ex = c.ex;
    auto source = co_await resolve(c, "source");
    if (!source) co_return;
    auto destination = co_await resolve(c, "destination");
    if (!destination) co_return;
    const auto& from = source->host;
    const auto& to = destination->host;
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(from, ec)))
        co_return co_await send(ex, file_not_found(ex, source->shown));
    fs::create_directories(to.parent_path(), ec);
    fs::rename(from, to, ec);
    if (ec == std::errc::cross_device_link) {
        fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
        if (!ec) fs::remove_all(from, ec);
    }
    if (ec)
        co_return co_await send(
            ex, toolbox_error(ex, 400, "BAD_REQUEST", "move failed: " + ec.message()));
    co_await send(ex, empty_reply(200));
}

asio::awaitable<void> files::set_permissions(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    auto target = co_await resolve(c, "path");
    if (!target) co_return;
    const auto& host = target->host;
    std::error_code ec;
    if (!fs::exists(host, ec)) co_return co_await send(ex, file_not_found(ex, target->shown));
    if (auto m = ex.query_param("mode"); m && !m->empty()) {
        auto mode = parse_mode(*m);
        if (!mode || *mode > 07777)
            co_return co_await send(ex,
                                    toolbox_error(ex, 400, "BAD_REQUEST", "invalid mode " + *m));
        ::chmod(host.c_str(), *mode);
    }
    const auto uid = owner_id(ex.query_param("owner"), rec.user(), false);
    const auto gid = owner_id(ex.query_param("group"), rec.user(), true);
    if (!uid || !gid)
        co_return co_await send(ex,
                                toolbox_error(ex, 400, "BAD_REQUEST", "unknown owner or group"));
    if ((*uid != static_cast<uid_t>(-1) || *gid != static_cast<gid_t>(-1)) &&
        ::chown(host.c_str(), *uid, *gid) != 0)
        co_return co_await send(ex, toolbox_error(ex, 403, "FILE_ACCESS_DENIED",
                                                  std::string("chown: ") + std::strerror(errno)));
    co_await send(ex, empty_reply(200));
}

asio::awaitable<void> files::find(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    const bool search = c.matched.name() == ops::search_files.name;
    auto target = co_await resolve(c, "path");
    if (!target) co_return;
    const auto& [host, shown] = *target;
    auto pattern = ex.query_param("pattern");
    if (!pattern || pattern->empty())
        co_return co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST", "pattern is required"));
    std::error_code ec;
    if (!fs::is_directory(host, ec)) co_return co_await send(ex, file_not_found(ex, shown));
    std::string out;
    json::writer w(out);
    if (search) w.begin_object().key("files");
    w.begin_array();
    std::size_t visited = 0;
    for (auto it = fs::recursive_directory_iterator(
             host, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator() && visited < 100000;
         it.increment(ec), ++visited) {
        if (ec) break;
        const auto& p = it->path();
        if (search) {
            if (::fnmatch(pattern->c_str(), p.filename().c_str(), 0) == 0)
                w.value(valid_utf8(ctx_.host.sandbox_path(rec, p)));
            continue;
        }
        if (!it->is_regular_file(ec) || it->file_size(ec) > 16 * 1024 * 1024) continue;
        std::ifstream in(p, std::ios::binary);
        std::string line;
        for (int n = 1; std::getline(in, line); ++n) {
            if (line.find('\0') != std::string::npos) break;  // binary file
            if (line.find(*pattern) != std::string::npos)
                w.begin_object()
                    .member("file", valid_utf8(ctx_.host.sandbox_path(rec, p)))
                    .member("line", n)
                    .member("content", valid_utf8(line))
                    .end_object();
        }
    }
    w.end_array();
    if (search) w.end_object();
    co_await send(ex, json_reply(200, std::move(out)));
}

asio::awaitable<void> files::download(call& c) {
    auto& ex = c.ex;
    auto target = co_await resolve(c, "path");
    if (!target) co_return;
    const auto& [host, shown] = *target;
    std::error_code ec;
    if (!fs::exists(host, ec)) co_return co_await send(ex, file_not_found(ex, shown));
    if (fs::is_directory(host, ec))
        co_return co_await send(
            ex, toolbox_error(ex, 400, "INVALID_FILE_PATH", shown + " is a directory"));
    const unique_fd fd(::open(host.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        co_return co_await send(ex,
                                toolbox_error(ex, 403, "FILE_ACCESS_DENIED", std::strerror(errno)));
    struct stat st {};
    ::fstat(fd.get(), &st);
    http::fields h;
    h.add("Content-Type", "application/octet-stream");
    h.add("Content-Disposition",
          "attachment; filename=" + http::multipart::quote_param(host.filename().string()));
    std::string head;
    http::serialize_response_head(200, h, {static_cast<std::uint64_t>(st.st_size)}, head);
    auto w = co_await ex.write_raw(head);
    std::vector<char> buf(256 * 1024);
    std::uint64_t left = static_cast<std::uint64_t>(st.st_size);
    while (w && left > 0) {
        auto n = ::read(fd.get(), buf.data(), std::min<std::uint64_t>(buf.size(), left));
        if (n <= 0) break;
        left -= static_cast<std::uint64_t>(n);
        w = co_await ex.write_raw(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    }
    if (!w || left > 0)
        ex.close_after();  // the file shrank or the client went away: end the connection
}

asio::awaitable<void> files::bulk_download(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    auto body = co_await read_json<files_download_request>(ex, true);
    if (!body) co_return;
    if (body->paths.empty())
        co_return co_await send(ex,
                                toolbox_error(ex, 400, "BAD_REQUEST", "paths must not be empty"));
    constexpr std::string_view boundary = "DAYTONA-FILE-BOUNDARY";
    http::fields h;
    h.add("Content-Type", "multipart/form-data; boundary=" + std::string(boundary));
    if (auto r = co_await ex.begin_chunked(200, std::move(h)); !r) co_return;
    bool first = true;
    std::vector<char> buf(256 * 1024);
    for (const auto& p : body->paths) {
        const auto disposition_tail = "; filename=" + http::multipart::quote_param(p) +
                                      "; filename*=utf-8''" + detail::percent_encode(p);
        std::string why;
        auto host = p.empty() ? std::nullopt : ctx_.host.host_path(rec, p, &why);
        std::error_code ec;
        std::string chunk;
        unique_fd fd;
        struct stat st {};
        if (p.empty())
            chunk = error_part(boundary, first, disposition_tail, 400, "INVALID_FILE_PATH",
                               "empty path");
        else if (!host)
            chunk = error_part(boundary, first, disposition_tail, 403, "FILE_ACCESS_DENIED", why);
        else if (!fs::exists(*host, ec))
            chunk = error_part(boundary, first, disposition_tail, 404, "FILE_NOT_FOUND",
                               no_such_file(p));
        else if (fs::is_directory(*host, ec))
            chunk = error_part(boundary, first, disposition_tail, 400, "INVALID_FILE_PATH",
                               p + " is a directory");
        else if (fd.reset(::open(host->c_str(), O_RDONLY | O_CLOEXEC));
                 !fd || ::fstat(fd.get(), &st) != 0)
            chunk = error_part(boundary, first, disposition_tail, 403, "FILE_ACCESS_DENIED",
                               "open " + p + ": " + std::strerror(errno));
        else {
            http::fields ph;
            ph.add("Content-Disposition", "form-data; name=\"file\"" + disposition_tail);
            ph.add("Content-Type", mime_of(p));
            ph.add("Content-Length", std::to_string(st.st_size));
            chunk = http::multipart::part_head(boundary, ph, first);
        }
        first = false;
        if (auto r = co_await ex.write_chunk(chunk); !r) co_return;
        if (!fd) continue;
        // Stream the file; if it breaks off, end the response without the closing boundary.
        std::uint64_t left = static_cast<std::uint64_t>(st.st_size);
        bool ok = true;
        while (left > 0) {
            auto n = ::read(fd.get(), buf.data(), std::min<std::uint64_t>(buf.size(), left));
            if (n <= 0) {
                ok = false;
                break;
            }
            left -= static_cast<std::uint64_t>(n);
            if (auto r = co_await ex.write_chunk(
                    std::string_view(buf.data(), static_cast<std::size_t>(n)));
                !r)
                co_return;
        }
        if (!ok) {
            ex.close_after();
            co_return;
        }
    }
    (void)co_await ex.write_chunk(http::multipart::tail(boundary, !body->paths.empty()));
    (void)co_await ex.end_chunked();
}

asio::awaitable<void> files::bulk_upload(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    auto boundary = http::multipart::boundary_of(ex.request().headers.get("content-type"));
    if (!boundary) {
        ex.close_after();
        co_return co_await send(ex, json_reply(400, R"({"errors":["invalid multipart form"]})"));
    }
    upload_writer writer(
        *boundary, rec.uploads_in_flight(),
        [&](std::string_view p, std::string& why) { return ctx_.host.host_path(rec, p, &why); });
    auto r = co_await ex.read_body(writer);
    if (!r) {
        ex.close_after();
        std::string out;
        json::writer w(out);
        w.begin_object()
            .key("errors")
            .begin_array()
            .value("invalid multipart form: " + r.error().message())
            .end_array()
            .end_object();
        co_return co_await send(ex, json_reply(400, std::move(out)));
    }
    std::string out;
    json::writer w(out);
    w.begin_object();
    if (!writer.errors.empty()) {
        w.key("errors").begin_array();
        for (const auto& e : writer.errors)
            w.value(valid_utf8(e));
        w.end_array();
    }
    w.key("files").begin_array();
    for (const auto& f : writer.files)
        w.begin_object().member("path", valid_utf8(f.path)).member("bytes", f.bytes).end_object();
    w.end_array().end_object();
    co_await send(ex, json_reply(writer.errors.empty() ? 200 : 400, std::move(out)));
}

asio::awaitable<void> files::upload(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    const bool v2 = c.matched.name() == ops::upload_file_v2.name;
    auto p = ex.query_param("path");
    if (!p || p->empty())
        co_return co_await send(ex,
                                toolbox_error(ex, 400, "INVALID_FILE_PATH", "path is required"));
    std::string why;
    auto host = ctx_.host.host_path(rec, *p, &why);
    if (!host) co_return co_await send(ex, toolbox_error(ex, 403, "FILE_ACCESS_DENIED", why));
    auto boundary = http::multipart::boundary_of(ex.request().headers.get("content-type"));
    std::vector<std::string> errors;
    if (boundary) {
        upload_writer writer(*boundary, rec.uploads_in_flight(), nullptr, *host);
        auto r = co_await ex.read_body(writer);
        if (!r || !writer.saw_single_part) {
            ex.close_after();
            // Named first: GCC 12 destroys a temporary made in one arm of a conditional inside
            // a co_await expression twice.
            std::string why = r ? "multipart field \"file\" is missing" : r.error().message();
            co_return co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST", why));
        }
        errors = writer.errors;
    } else if (v2) {
        // upload-v2 also takes the file as the raw body.
        struct file_sink final : http::body_sink {
            staged_file file;
            explicit file_sink(staged_file f) : file(std::move(f)) {}
            result<void> write(std::string_view data) override {
                if (write_all(file.fd(), data)) return {};
                return error(make_error_code(errc::io_error), std::strerror(errno));
            }
        };
        auto staged = staged_file::create(*host, rec.uploads_in_flight());
        if (!staged)
            co_return co_await send(
                ex, toolbox_error(ex, 403, "FILE_ACCESS_DENIED", std::strerror(errno)));
        file_sink sink(std::move(staged));
        auto r = co_await ex.read_body(sink);
        if (r && !sink.file.commit())
            co_return co_await send(
                ex, toolbox_error(ex, 400, "FILE_WRITE_FAILED", std::strerror(errno)));
        if (!r) {
            ex.close_after();
            co_return co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST", r.error().message()));
        }
    } else {
        ex.close_after();
        co_return co_await send(
            ex, toolbox_error(ex, 400, "BAD_REQUEST", "expected a multipart/form-data body"));
    }
    if (!errors.empty())
        co_return co_await send(ex, toolbox_error(ex, 400, "FILE_WRITE_FAILED", errors.front()));
    if (!v2) co_return co_await send(ex, empty_reply(200));
    std::string out;
    json::writer w(out);
    w.begin_object()
        .member("name", valid_utf8(host->filename().string()))
        .member("path", valid_utf8(ctx_.host.absolute_in_sandbox(rec, *p)))
        .member("type", "file")
        .end_object();
    co_await send(ex, json_reply(200, std::move(out)));
}

asio::awaitable<void> files::replace(call& c) {
    auto& ex = c.ex;
    const auto& rec = c.sandbox();
    auto body = co_await read_json<replace_request>(ex, true);
    if (!body) co_return;
    if (body->pattern.empty())
        co_return co_await send(ex, toolbox_error(ex, 400, "BAD_REQUEST", "pattern is required"));
    std::vector<replace_result> out;
    for (const auto& f : body->files) {
        std::string why;
        auto host = ctx_.host.host_path(rec, f, &why);
        std::string error;
        if (!host) error = why;
        std::string text;
        if (error.empty()) {
            std::ifstream in(*host, std::ios::binary);
            if (!in)
                error = no_such_file(f);
            else
                text.assign(std::istreambuf_iterator<char>(in), {});
        }
        if (error.empty()) {
            std::string replaced;
            std::size_t at = 0;
            for (auto hit = text.find(body->pattern); hit != std::string::npos;
                 hit = text.find(body->pattern, at)) {
                replaced.append(text, at, hit - at).append(body->new_value);
                at = hit + body->pattern.size();
            }
            replaced.append(text, at);
            if (!write_file_atomically(*host, replaced)) error = "cannot write " + f;
        }
        out.push_back({.file = f, .success = error.empty(), .error = valid_utf8(error)});
    }
    co_await send(ex, encoded_reply(out));
}

}  // namespace files_impl

void add_file_routes(route_table& table, context& ctx) {
    using files_impl::files;
    namespace ops = api::ops;
    table.add(std::make_shared<files>(ctx), {{ops::list_files, &files::list},
                                             {ops::get_file_info, &files::info},
                                             {ops::delete_file, &files::remove},
                                             {ops::create_folder, &files::create_folder},
                                             {ops::move_file, &files::move},
                                             {ops::set_file_permissions, &files::set_permissions},
                                             {ops::find_in_files, &files::find},
                                             {ops::search_files, &files::find},
                                             {ops::download_file, &files::download},
                                             {ops::download_files, &files::bulk_download},
                                             {ops::upload_files, &files::bulk_upload},
                                             {ops::upload_file, &files::upload},
                                             {ops::upload_file_v2, &files::upload},
                                             {ops::replace_in_files, &files::replace}});
}

}  // namespace daytona::emulator
