// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of build_context.hpp: included by it in the header-only build, compiled once
// by <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_BUILD_CONTEXT_IPP
#define DAYTONA_IMPL_BUILD_CONTEXT_IPP

#include "daytona/build_context.hpp"

#include "daytona/detail/js_path.hpp"
#include "daytona/detail/percent.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

result<std::shared_ptr<tar_source>> tar_source::open(const context_entry& entry) {
    namespace fs = std::filesystem;
    auto src = std::make_shared<tar_source>();
    std::string name(entry.archive_path);
    while (!name.empty() && name.front() == '/')
        name.erase(0, 1);
    while (name.size() > 1 && name.back() == '/')
        name.pop_back();
    if (name.empty()) name = ".";
    fs::path root(js::pathe_resolve(entry.source_path));
    std::error_code ec;
    auto st = fs::status(root, ec);
    if (ec || !fs::exists(st))
        return context_io_error(
            "cannot upload", entry.source_path,
            ec ? ec : std::make_error_code(std::errc::no_such_file_or_directory));
    if (auto r = src->add(root, name, fs::is_directory(st)); !r) return std::move(r).error();
    if (fs::is_directory(st))
        if (auto r = src->walk(root, name); !r) return std::move(r).error();
    src->total_ = 1024;  // two zero blocks end the archive
    for (const auto& it : src->items_)
        src->total_ += src->header_size(it) + padded(it.size);
    return src;
}

result<std::size_t> tar_source::read(char* buf, std::size_t len) {
    std::size_t done = 0;
    while (done < len) {
        if (pending_pos_ < pending_.size()) {
            const auto n = std::min(len - done, pending_.size() - pending_pos_);
            std::memcpy(buf + done, pending_.data() + pending_pos_, n);
            pending_pos_ += n;
            done += n;
            continue;
        }
        if (in_file_) {
            const auto& it = items_[index_ - 1];
            const auto want = std::min<std::uint64_t>(len - done, it.size - file_done_);
            if (want > 0) {
                file_.read(buf + done, static_cast<std::streamsize>(want));
                const auto got = static_cast<std::size_t>(file_.gcount());
                if (got == 0)
                    return context_io_error("file changed while uploading", it.source.string(),
                                            std::make_error_code(std::errc::io_error));
                file_done_ += got;
                done += got;
                continue;
            }
            file_.close();
            in_file_ = false;
            pending_.assign(padded(it.size) - it.size, '\0');
            pending_pos_ = 0;
            continue;
        }
        if (index_ < items_.size()) {
            const auto& it = items_[index_++];
            pending_ = header(it);
            pending_pos_ = 0;
            if (it.type == '0' && it.size > 0) {
                file_.open(it.source, std::ios::binary);
                if (!file_)
                    return context_io_error("cannot open", it.source.string(),
                                            {errno, std::generic_category()});
                in_file_ = true;
                file_done_ = 0;
            }
            continue;
        }
        if (!trailer_sent_) {
            trailer_sent_ = true;
            pending_.assign(1024, '\0');
            pending_pos_ = 0;
            continue;
        }
        break;
    }
    return done;
}

bool tar_source::rewind() {
    index_ = 0;
    in_file_ = false;
    file_.close();
    file_.clear();
    pending_.clear();
    pending_pos_ = 0;
    trailer_sent_ = false;
    return true;
}

result<void> tar_source::add(const std::filesystem::path& p, std::string name, bool directory) {
    struct ::stat st {};
    if (::lstat(p.c_str(), &st) != 0)
        return context_io_error("cannot stat", p.string(), {errno, std::generic_category()});
    item it;
    it.name = std::move(name);
    it.source = p;
    it.mode = st.st_mode & 07777;
    it.mtime = st.st_mtime;
    if (directory) {
        it.type = '5';
    } else if (S_ISLNK(st.st_mode)) {
        it.type = '2';
        std::error_code ec;
        it.link = std::filesystem::read_symlink(p, ec).string();
    } else if (S_ISREG(st.st_mode)) {
        it.size = static_cast<std::uint64_t>(st.st_size);
    } else {
        return {};  // sockets, devices, FIFOs are left out
    }
    items_.push_back(std::move(it));
    return {};
}

result<void> tar_source::walk(const std::filesystem::path& dir, const std::string& name) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        entries.push_back(*it);
    if (ec) return context_io_error("cannot list", dir.string(), ec);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.path().filename() < b.path().filename();
    });
    for (const auto& e : entries) {
        const std::string child = name + "/" + e.path().filename().string();
        const bool is_dir = e.is_directory(ec) && !e.is_symlink(ec);
        if (auto r = add(e.path(), child, is_dir); !r) return r;
        if (is_dir)
            if (auto r = walk(e.path(), child); !r) return r;
    }
    return {};
}

void tar_source::octal(char* field, std::size_t width, std::uint64_t v) {
    const std::uint64_t max = (std::uint64_t{1} << (3 * (width - 1))) - 1;
    if (v > max) v = max;
    field[width - 1] = '\0';
    for (std::size_t i = width - 1; i-- > 0; v >>= 3)
        field[i] = static_cast<char>('0' + (v & 7));
}

std::string tar_source::block(std::string_view name, char type, std::uint64_t size, unsigned mode,
                              std::int64_t mtime, std::string_view link) {
    std::array<char, 512> h{};
    std::memcpy(h.data(), name.data(), std::min<std::size_t>(name.size(), 100));
    octal(h.data() + 100, 8, mode);
    octal(h.data() + 108, 8, 0);
    octal(h.data() + 116, 8, 0);
    octal(h.data() + 124, 12, size);
    octal(h.data() + 136, 12, static_cast<std::uint64_t>(std::max<std::int64_t>(0, mtime)));
    std::memset(h.data() + 148, ' ', 8);
    h[156] = type;
    std::memcpy(h.data() + 157, link.data(), std::min<std::size_t>(link.size(), 100));
    std::memcpy(h.data() + 257, "ustar", 6);
    std::memcpy(h.data() + 263, "00", 2);
    unsigned sum = 0;
    for (unsigned char c : h)
        sum += c;
    octal(h.data() + 148, 7, sum);  // six digits, a NUL, then the space already there
    return std::string(h.data(), h.size());
}

std::string tar_source::pax_record(std::string_view key, std::string_view value) {
    const auto body = std::string(key) + "=" + std::string(value) + "\n";
    std::size_t len = body.size() + 2;
    while (std::to_string(len).size() + 1 + body.size() != len)
        ++len;
    return std::to_string(len) + " " + body;
}

std::string tar_source::pax_data(const item& it) const {
    std::string data;
    const std::string name = it.type == '5' ? it.name + "/" : it.name;
    if (name.size() > 100) data += pax_record("path", name);
    if (it.link.size() > 100) data += pax_record("linkpath", it.link);
    if (it.size > 077777777777ULL) data += pax_record("size", std::to_string(it.size));
    return data;
}

std::uint64_t tar_source::header_size(const item& it) const {
    const auto pax = pax_data(it);
    return 512 + (pax.empty() ? 0 : 512 + padded(pax.size()));
}

std::string tar_source::header(const item& it) const {
    std::string out;
    const auto pax = pax_data(it);
    if (!pax.empty()) {
        out += block("PaxHeader", 'x', pax.size(), 0644, it.mtime, "");
        out += pax;
        out.append(padded(pax.size()) - pax.size(), '\0');
    }
    const std::string name = it.type == '5' ? it.name + "/" : it.name;
    out += block(name, it.type, it.type == '0' ? it.size : 0, it.mode, it.mtime, it.link);
    return out;
}

std::string object_storage::context_key(std::string_view hash) const {
    return organization_id + "/" + std::string(hash) + "/context.tar";
}

http::request object_storage::signed_request(http::verb method, std::string_view key,
                                             std::string query, std::string_view payload_hash,
                                             std::chrono::system_clock::time_point now) const {
    std::string path = endpoint.path;
    if (path.empty() || path.back() != '/') path += '/';
    path += detail::percent_encode(bucket);
    if (!key.empty()) {
        std::string_view rest = key;
        while (!rest.empty()) {
            auto slash = rest.find('/');
            path += '/';
            path += detail::percent_encode(rest.substr(0, slash));
            if (slash == std::string_view::npos) break;
            rest.remove_prefix(slash + 1);
        }
    }
    const auto date = net::sigv4::amz_date(now);
    net::sigv4::request sr{.method = http::to_string(method),
                           .path = path,
                           .query = query,
                           .headers = {{"host", endpoint.origin.host_header()},
                                       {"x-amz-content-sha256", std::string(payload_hash)},
                                       {"x-amz-date", date}},
                           .payload_hash = payload_hash};
    if (!creds.session_token.empty())
        sr.headers.emplace_back("x-amz-security-token", creds.session_token);
    const net::sigv4::scope sc{date.substr(0, 8), region, "s3"};
    http::request req;
    req.method = method;
    req.origin = endpoint.origin;
    req.target = query.empty() ? path : path + "?" + query;
    for (const auto& [k, v] : sr.headers)
        if (k != "host") req.headers.set(k, v);
    req.headers.set("Authorization", net::sigv4::authorization(creds, sc, date, sr));
    return req;
}

result<object_storage> storage_of(const push_access& a) {
    auto url = http::url::parse(a.storage_url);
    if (!url) return std::move(url).error().with_operation("get_push_access");
    return object_storage{
        .endpoint = std::move(*url),
        .bucket = a.bucket.empty() ? "daytona-volume-builds" : a.bucket,
        .organization_id = a.organization_id,
        .creds = {a.access_key, a.secret, a.session_token},
        // Daytona names the region; older servers leave it to the endpoint.
        .region = a.region.empty() ? net::sigv4::region_of_endpoint(a.storage_url) : a.region};
}

error storage_error(const http::response& r, std::string_view operation, std::string_view what) {
    return error(make_http_error_code(r.status),
                 error_info{.http_status = r.status,
                            .source = "OBJECT_STORAGE",
                            .message = std::string(what) + ": HTTP " + std::to_string(r.status),
                            .operation = std::string(operation),
                            .body_excerpt = printable_excerpt(r.body, 200)});
}

asio::awaitable<result<void>> upload_build_context(std::shared_ptr<client_state> s,
                                                   std::vector<context_entry> entries,
                                                   std::vector<std::string> hashes,
                                                   std::string operation) {
    if (entries.size() != hashes.size())
        co_return error(
            make_error_code(errc::invalid_argument),
            error_info{.message = "one context hash per context entry", .operation = operation});
    if (entries.empty()) co_return result<void>{};
    auto access = co_await api::get_push_access(s->api_channel());
    if (!access) co_return std::move(access).error().with_operation(operation);
    auto storage = storage_of(*access);
    if (!storage) co_return std::move(storage).error().with_operation(operation);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& hash = hashes[i];
        std::string query = "list-type=2&max-keys=1&prefix=";
        query += detail::percent_encode(storage->organization_id + "/" + hash + "/");
        auto list = storage->signed_request(http::verb::get, "", std::move(query),
                                            net::sigv4::empty_payload_hash,
                                            std::chrono::system_clock::now());
        http::send_options lo{.request = {.idempotent = true}, .operation = "list_context_objects"};
        auto listed = co_await s->unauthenticated->send(list, lo);
        if (!listed) co_return std::move(listed).error().with_operation(operation);
        if (!listed->ok())
            co_return storage_error(*listed, operation, "listing the build context in storage");
        if (listed->body.find("<Key>") != std::string::npos) continue;  // already uploaded
        auto tar = tar_source::open(entries[i]);
        if (!tar) co_return std::move(tar).error().with_operation(operation);
        auto put =
            storage->signed_request(http::verb::put, storage->context_key(hash), "",
                                    net::sigv4::unsigned_payload, std::chrono::system_clock::now());
        put.headers.set("Content-Type", "application/x-tar");
        put.stream = std::move(*tar);
        http::send_options po{
            .request = {.timeout = std::chrono::milliseconds(0), .idempotent = true},
            .operation = "put_context_object"};
        auto stored = co_await s->unauthenticated->send(put, po);
        if (!stored) co_return std::move(stored).error().with_operation(operation);
        if (!stored->ok())
            co_return storage_error(*stored, operation, "uploading the build context");
    }
    co_return result<void>{};
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_BUILD_CONTEXT_IPP
