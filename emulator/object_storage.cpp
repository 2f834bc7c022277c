// SPDX-License-Identifier: Apache-2.0
// /api/object-storage: push access and the S3 subset a client needs to upload build contexts
// (path-style ListObjectsV2 with prefix and max-keys, PutObject, HeadObject, GetObject). Every
// S3 request must carry an AWS Signature V4 made with the credentials push access hands out;
// anything else is 403 SignatureDoesNotMatch / InvalidAccessKeyId. Objects live under
// <data-dir>/objects/<bucket>/<key>. Multipart uploads (how S3 clients send a body over 5 MiB:
// CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload) keep their
// parts under <data-dir>/object-uploads/<upload id>/ until completed or aborted.
#include "areas.hpp"

#include <daytona/api/operations.hpp>
#include <daytona/codec/config.hpp>
#include <daytona/net/sigv4.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <fstream>

namespace daytona::emulator {

namespace object_storage_impl {

namespace sig = net::sigv4;

constexpr std::string_view bucket_name = "daytona-volume-builds";

constexpr route_spec list_objects{.name = "s3_list_objects",
                                  .method = "GET",
                                  .path = "/object-storage/s3/{bucket}",
                                  .authenticated = false};
constexpr route_spec object_any{.name = "s3_object",
                                .method = "*",
                                .path = "/object-storage/s3/{bucket}/*",
                                .authenticated = false};

reply s3_error(int status, std::string_view code, std::string_view message) {
    reply r;
    r.status = status;
    r.headers.set("Content-Type", "application/xml");
    r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + std::string(code) +
             "</Code><Message>" + std::string(message) + "</Message></Error>";
    return r;
}

std::string sha256_hex(std::string_view data) {
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(data.data(), data.size(), d, &n, EVP_sha256(), nullptr);
    return sig::hex(std::string_view(reinterpret_cast<const char*>(d), n));
}

std::string xml_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

/// A body sink writing to a file, hashing what it writes (SHA-256) when asked to.
class file_sink final : public http::body_sink {
public:
    file_sink(const fs::path& p, bool hash) : out_(p, std::ios::binary | std::ios::trunc) {
        if (hash) {
            md_ = EVP_MD_CTX_new();
            EVP_DigestInit_ex(md_, EVP_sha256(), nullptr);
        }
    }
    ~file_sink() override {
        if (md_) EVP_MD_CTX_free(md_);
    }
    file_sink(const file_sink&) = delete;
    file_sink& operator=(const file_sink&) = delete;

    bool good() const { return static_cast<bool>(out_); }
    result<void> write(std::string_view data) override {
        if (md_) EVP_DigestUpdate(md_, data.data(), data.size());
        out_.write(data.data(), static_cast<std::streamsize>(data.size()));
        if (!out_) return error(make_error_code(errc::io_error), "cannot store the object");
        return {};
    }
    result<void> finish() override {
        out_.flush();
        if (!out_) return error(make_error_code(errc::io_error), "cannot store the object");
        return {};
    }
    std::string sha256_hex() {
        if (!md_) return {};
        unsigned char d[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_DigestFinal_ex(md_, d, &n);
        return sig::hex(std::string_view(reinterpret_cast<const char*>(d), n));
    }

private:
    EVP_MD_CTX* md_ = nullptr;
    std::ofstream out_;
};

/// Decodes an aws-chunked body (`Content-Encoding: aws-chunked`, as S3 clients stream uploads
/// with a trailing checksum): "<hex size>[;chunk-signature=…]\r\n<data>\r\n" … "0…\r\n"
/// trailers "\r\n". Chunk signatures and trailing checksums are not checked.
class aws_chunked_sink final : public http::body_sink {
public:
    explicit aws_chunked_sink(http::body_sink& out) : out_(out) {}
    result<void> write(std::string_view data) override {
        while (!data.empty()) {
            if (state_ == data_bytes) {
                const auto n = std::min<std::size_t>(data.size(), left_);
                if (auto r = out_.write(data.substr(0, n)); !r) return r;
                left_ -= n;
                data.remove_prefix(n);
                if (left_ == 0) state_ = data_end;
                continue;
            }
            const char c = data.front();
            data.remove_prefix(1);
            if (c != '\n') {
                if (c != '\r') line_ += c;
                continue;
            }
            std::string line = std::move(line_);
            line_.clear();
            if (state_ == data_end) {
                state_ = size_line;
                if (!line.empty()) return bad();
            } else if (state_ == size_line) {
                const auto hex = line.substr(0, line.find(';'));
                if (hex.empty() || hex.size() > 15) return bad();
                std::uint64_t n = 0;
                for (char h : hex) {
                    const int v = detail::hex_value(h);
                    if (v < 0) return bad();
                    n = n * 16 + static_cast<unsigned>(v);
                }
                left_ = n;
                state_ = n == 0 ? trailers : data_bytes;
            } else if (state_ == trailers) {
                if (line.empty()) state_ = done;
            } else {
                return bad();
            }
        }
        return {};
    }
    result<void> finish() override {
        if (state_ != done && state_ != trailers) return bad();
        return out_.finish();
    }

private:
    static error bad() {
        return error(make_error_code(errc::protocol_error), "malformed aws-chunked body");
    }
    enum state_t { size_line, data_bytes, data_end, trailers, done } state_ = size_line;
    http::body_sink& out_;
    std::string line_;
    std::uint64_t left_ = 0;
};

class object_storage {
public:
    explicit object_storage(context& ctx)
        : ctx_(ctx)
        , creds_{"EMULATOR" + random_token(12), random_token(40), "session-" + random_token(32)} {}

    asio::awaitable<void> push_access(call& c) {
        const daytona::push_access access{
            .access_key = creds_.access_key,
            .secret = creds_.secret,
            .session_token = creds_.session_token,
            .storage_url = ctx_.origin_of(c.ex) + "/api/object-storage/s3",
            .organization_id = std::string(organization_id),
            .bucket = std::string(bucket_name),
            .region = "us-east-1"};
        co_await send(c.ex, encoded_reply(access));
    }

    asio::awaitable<void> list(call& c) {
        auto& ex = c.ex;
        if (auto refused = verify(ex, sig::empty_payload_hash))
            co_return co_await send(ex, *refused);
        if (c.param("bucket") != bucket_name)
            co_return co_await send(ex, s3_error(404, "NoSuchBucket", "no such bucket"));
        const auto prefix = ex.query_param("prefix").value_or("");
        std::size_t max_keys = 1000;
        if (auto m = ex.query_param("max-keys"))
            max_keys =
                std::min<std::size_t>(detail::parse_uint<std::size_t>(*m).value_or(1000), 1000);
        std::vector<std::pair<std::string, std::uintmax_t>> keys;
        const auto root = bucket_dir();
        std::error_code ec;
        if (fs::exists(root, ec))
            for (auto it = fs::recursive_directory_iterator(root, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                if (!it->is_regular_file(ec)) continue;
                auto key = fs::relative(it->path(), root, ec).generic_string();
                if (key.find(".part-") != std::string::npos) continue;
                if (key.starts_with(prefix)) keys.emplace_back(key, it->file_size(ec));
            }
        std::sort(keys.begin(), keys.end());
        const bool truncated = keys.size() > max_keys;
        if (truncated) keys.resize(max_keys);
        std::string body =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult "
            "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" +
            std::string(bucket_name) + "</Name><Prefix>" + xml_escape(prefix) +
            "</Prefix><KeyCount>" + std::to_string(keys.size()) + "</KeyCount><MaxKeys>" +
            std::to_string(max_keys) + "</MaxKeys><IsTruncated>" + (truncated ? "true" : "false") +
            "</IsTruncated>";
        for (const auto& [k, size] : keys)
            body += "<Contents><Key>" + xml_escape(k) + "</Key><Size>" + std::to_string(size) +
                    "</Size></Contents>";
        body += "</ListBucketResult>";
        reply r;
        r.headers.set("Content-Type", "application/xml");
        r.body = std::move(body);
        co_await send(ex, std::move(r));
    }

    asio::awaitable<void> object(call& c) {
        auto& ex = c.ex;
        const std::string method = ex.request().method;
        const std::string payload(ex.request().headers.get("x-amz-content-sha256"));
        if (auto refused = verify(ex, payload.empty() ? sig::empty_payload_hash : payload)) {
            ex.close_after();  // the body, if any, is not read
            co_return co_await send(ex, *refused);
        }
        if (c.param("bucket") != bucket_name) {
            ex.close_after();
            co_return co_await send(ex, s3_error(404, "NoSuchBucket", "no such bucket"));
        }
        auto key = object_key(ex);
        if (!key) {
            ex.close_after();
            co_return co_await send(ex, s3_error(400, "InvalidObjectName", "invalid object key"));
        }
        const auto file = bucket_dir() / *key;
        std::error_code ec;
        if (auto upload = ex.query_param("uploadId"))
            co_return co_await multipart(ex, *key, *upload, payload);
        if (method == "POST" && ex.query_param("uploads"))
            co_return co_await create_upload(ex, *key);
        if (method == "PUT") {
            fs::create_directories(file.parent_path(), ec);
            const auto part = fs::path(file.string() + ".part-" + random_token(8));
            auto failed = co_await store_body(ex, payload, part);
            if (failed) co_return co_await send(ex, std::move(*failed));
            fs::rename(part, file, ec);
            if (ec) co_return co_await send(ex, s3_error(500, "InternalError", ec.message()));
            reply ok;
            ok.headers.set("ETag", "\"" + random_token(16) + "\"");
            co_return co_await send(ex, std::move(ok));
        }
        if (method == "GET" || method == "HEAD") {
            if (!fs::is_regular_file(file, ec))
                co_return co_await send(ex, s3_error(404, "NoSuchKey", "no such key"));
            std::ifstream in(file, std::ios::binary);
            reply r;
            r.headers.set("Content-Type", "application/octet-stream");
            r.body.assign(std::istreambuf_iterator<char>(in), {});
            co_return co_await send(ex, std::move(r));
        }
        if (method == "DELETE") {
            fs::remove(file, ec);
            reply r;
            r.status = 204;
            co_return co_await send(ex, std::move(r));
        }
        ex.close_after();
        co_await send(ex, s3_error(405, "MethodNotAllowed", "not supported by the emulator"));
    }

private:
    fs::path bucket_dir() const {
        return ctx_.records.data_dir() / "objects" / std::string(bucket_name);
    }
    /// Where the parts of a multipart upload wait (outside the bucket: never listed).
    fs::path upload_dir(std::string_view upload_id) const {
        return ctx_.records.data_dir() / "object-uploads" / std::string(upload_id);
    }

    /// Reads the request's body into `to` (aws-chunked framing removed, checked against a
    /// signed payload hash); the S3 error to answer, after removing `to`, when that fails.
    asio::awaitable<std::optional<reply>> store_body(exchange& ex, const std::string& payload,
                                                     const fs::path& to) {
        // Streaming uploads come aws-chunked; their x-amz-content-sha256 names the framing.
        const bool chunked = payload.starts_with("STREAMING-");
        std::error_code ec;
        file_sink sink(to, !chunked && payload != sig::unsigned_payload);
        if (!sink.good()) {
            ex.close_after();
            co_return s3_error(500, "InternalError", "cannot store");
        }
        // S3 clients ask before sending a large body (the AWS SDKs from 2 MiB on).
        if (detail::iequals(ex.request().headers.get("expect"), "100-continue"))
            (void)co_await ex.write_raw("HTTP/1.1 100 Continue\r\n\r\n");
        aws_chunked_sink unchunk(sink);
        result<void> r;  // no co_await in a conditional expression (GCC 12)
        if (chunked)
            r = co_await ex.read_body(unchunk);
        else
            r = co_await ex.read_body(sink);
        if (!r) {
            fs::remove(to, ec);
            ex.close_after();
            co_return s3_error(400, "IncompleteBody", r.error().message());
        }
        if (!chunked && payload != sig::unsigned_payload && sink.sha256_hex() != payload) {
            fs::remove(to, ec);
            co_return s3_error(400, "XAmzContentSHA256Mismatch",
                               "the body does not match x-amz-content-sha256");
        }
        co_return std::nullopt;
    }

    /// CreateMultipartUpload (POST <key>?uploads): an upload id for the parts to come.
    asio::awaitable<void> create_upload(exchange& ex, const std::string& key) {
        const auto id = random_token(32);
        const auto dir = upload_dir(id);
        std::error_code ec;
        fs::create_directories(dir, ec);
        std::ofstream(dir / "key", std::ios::binary) << key;
        if (ec) co_return co_await send(ex, s3_error(500, "InternalError", ec.message()));
        reply r;
        r.headers.set("Content-Type", "application/xml");
        r.body =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult "
            "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>" +
            std::string(bucket_name) + "</Bucket><Key>" + xml_escape(key) + "</Key><UploadId>" +
            id + "</UploadId></InitiateMultipartUploadResult>";
        co_await send(ex, std::move(r));
    }

    /// UploadPart (PUT ?partNumber&uploadId), CompleteMultipartUpload (POST ?uploadId) and
    /// AbortMultipartUpload (DELETE ?uploadId) of the upload `upload_id` of `key`.
    asio::awaitable<void> multipart(exchange& ex, const std::string& key,
                                    const std::string& upload_id, const std::string& payload) {
        const std::string method = ex.request().method;
        const auto dir = upload_dir(upload_id);
        std::error_code ec;
        const bool known =
            !upload_id.empty() &&
            std::all_of(upload_id.begin(), upload_id.end(),
                        [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }) &&
            read_file(dir / "key").value_or("") == key;
        if (!known) {
            ex.close_after();  // the body, if any, is not read
            co_return co_await send(
                ex, s3_error(404, "NoSuchUpload", "The specified upload does not exist."));
        }
        if (method == "PUT") {
            const auto number =
                detail::parse_uint<unsigned>(ex.query_param("partNumber").value_or(""));
            if (!number || *number < 1 || *number > 10000) {
                ex.close_after();
                co_return co_await send(
                    ex, s3_error(400, "InvalidArgument", "partNumber must be between 1 and 10000"));
            }
            const auto part = dir / ("part-" + std::to_string(*number));
            const auto receiving = fs::path(part.string() + ".tmp-" + random_token(8));
            auto failed = co_await store_body(ex, payload, receiving);
            if (failed) co_return co_await send(ex, std::move(*failed));
            fs::rename(receiving, part, ec);
            const auto etag = "\"" + random_token(32) + "\"";
            std::ofstream(part.string() + ".etag", std::ios::binary) << etag;
            reply ok;
            ok.headers.set("ETag", etag);
            co_return co_await send(ex, std::move(ok));
        }
        if (method == "DELETE") {
            fs::remove_all(dir, ec);
            reply r;
            r.status = 204;
            co_return co_await send(ex, std::move(r));
        }
        if (method != "POST") {
            ex.close_after();
            co_return co_await send(ex, s3_error(405, "MethodNotAllowed", "not for an upload"));
        }
        auto body = co_await ex.read_body();
        if (!body) {
            ex.close_after();
            co_return co_await send(ex, s3_error(400, "IncompleteBody", body.error().message()));
        }
        const std::string& xml = ex.request().body;
        if (payload != sig::unsigned_payload && sha256_hex(xml) != payload)
            co_return co_await send(ex, s3_error(400, "XAmzContentSHA256Mismatch",
                                                 "the body does not match x-amz-content-sha256"));
        // <CompleteMultipartUpload><Part><PartNumber>n</PartNumber><ETag>"…"</ETag></Part>…
        std::vector<std::pair<unsigned, std::string>> parts;
        for (std::size_t at = xml.find("<Part>"); at != std::string::npos;
             at = xml.find("<Part>", at + 1)) {
            const auto end = xml.find("</Part>", at);
            const auto element = std::string_view(xml).substr(at, end - at);
            const auto field = [&](std::string_view name) {
                const auto open = "<" + std::string(name) + ">";
                const auto from = element.find(open);
                if (from == std::string_view::npos) return std::string_view();
                const auto start = from + open.size();
                return element.substr(start, element.find('<', start) - start);
            };
            auto etag = std::string(field("ETag"));
            for (auto q = etag.find("&quot;"); q != std::string::npos; q = etag.find("&quot;"))
                etag.replace(q, 6, "\"");
            parts.emplace_back(detail::parse_uint<unsigned>(field("PartNumber")).value_or(0),
                               std::move(etag));
        }
        if (parts.empty())
            co_return co_await send(ex, s3_error(400, "MalformedXML", "no parts to complete"));
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const auto& [number, etag] = parts[i];
            const auto stored = read_file(dir / ("part-" + std::to_string(number) + ".etag"));
            if (number == 0 || !stored || *stored != etag)
                co_return co_await send(
                    ex, s3_error(400, "InvalidPart",
                                 "part " + std::to_string(number) +
                                     " was not uploaded or its ETag does not match"));
            if (i > 0 && parts[i - 1].first >= number)
                co_return co_await send(
                    ex, s3_error(400, "InvalidPartOrder", "the parts must be in ascending order"));
        }
        // The parts, in order, make the object (in place only once complete).
        const auto file = bucket_dir() / key;
        fs::create_directories(file.parent_path(), ec);
        const auto joining = fs::path(file.string() + ".part-" + random_token(8));
        {
            std::ofstream out(joining, std::ios::binary | std::ios::trunc);
            for (const auto& [number, etag] : parts) {
                std::ifstream in(dir / ("part-" + std::to_string(number)), std::ios::binary);
                out << in.rdbuf();
            }
            if (!out) ec = std::make_error_code(std::errc::io_error);
        }
        if (!ec) fs::rename(joining, file, ec);
        if (ec) {
            fs::remove(joining, ec);
            co_return co_await send(ex, s3_error(500, "InternalError", "cannot store the object"));
        }
        fs::remove_all(dir, ec);
        reply r;
        r.headers.set("Content-Type", "application/xml");
        r.body =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult "
            "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>" +
            std::string(bucket_name) + "</Bucket><Key>" + xml_escape(key) + "</Key><ETag>\"" +
            random_token(32) + "-" + std::to_string(parts.size()) +
            "\"</ETag></CompleteMultipartUploadResult>";
        co_await send(ex, std::move(r));
    }

    /// The object key from the path (after /object-storage/s3/<bucket>/), decoded; nullopt for
    /// keys that could leave the bucket's directory.
    std::optional<std::string> object_key(const exchange& ex) const {
        const auto path = ex.path();
        const std::string marker = "/object-storage/s3/" + std::string(bucket_name) + "/";
        auto at = path.find(marker);
        if (at == std::string_view::npos) return std::nullopt;
        auto key = detail::percent_decode(path.substr(at + marker.size()));
        if (!key || key->empty() || key->find('\0') != std::string::npos) return std::nullopt;
        std::string_view rest = *key;
        while (true) {
            auto slash = rest.find('/');
            auto seg = rest.substr(0, slash);
            if (seg.empty() || seg == "." || seg == ".." ||
                seg.find(".part-") != std::string_view::npos)
                return std::nullopt;
            if (slash == std::string_view::npos) break;
            rest.remove_prefix(slash + 1);
        }
        return key;
    }

    /// Checks the request's SigV4 signature against the credentials push access handed out;
    /// the S3 error to answer when it does not hold.
    std::optional<reply> verify(const exchange& ex, std::string_view payload_hash) const {
        const auto& headers = ex.request().headers;
        auto auth = sig::parse_authorization(headers.get("authorization"));
        if (!auth)
            return s3_error(403, "AccessDenied", "an AWS Signature V4 Authorization is required");
        if (auth->access_key != creds_.access_key)
            return s3_error(403, "InvalidAccessKeyId", "unknown access key");
        if (std::string(headers.get("x-amz-security-token")) != creds_.session_token)
            return s3_error(403, "InvalidToken", "the session token is missing or wrong");
        const std::string date(headers.get("x-amz-date"));
        if (date.size() != 16 || !date.starts_with(auth->where.date) || auth->where.service != "s3")
            return s3_error(403, "SignatureDoesNotMatch", "x-amz-date does not match the scope");
        sig::request r{.method = ex.request().method,
                       .path = ex.path(),
                       .query = ex.query(),
                       .payload_hash = payload_hash};
        bool has_host = false, has_date = false, has_token = false;
        for (const auto& name : auth->signed_headers) {
            has_host = has_host || name == "host";
            has_date = has_date || name == "x-amz-date";
            has_token = has_token || name == "x-amz-security-token";
            r.headers.emplace_back(name, std::string(headers.get(name)));
        }
        if (!has_host || !has_date || !has_token)
            return s3_error(403, "SignatureDoesNotMatch",
                            "host, x-amz-date and x-amz-security-token must be signed");
        const auto expected = sig::signature(creds_.secret, auth->where, date, r);
        if (expected != auth->signature)
            return s3_error(403, "SignatureDoesNotMatch",
                            "The request signature we calculated does not match the signature "
                            "you provided.");
        return std::nullopt;
    }

    context& ctx_;
    sig::credentials creds_;
};

}  // namespace object_storage_impl

fs::path stored_object(const context& ctx, std::string_view key) {
    return ctx.records.data_dir() / "objects" / std::string(object_storage_impl::bucket_name) /
           std::string(key);
}

void add_object_storage_routes(route_table& table, context& ctx) {
    using object_storage_impl::object_storage;
    namespace ops = api::ops;
    table.add(std::make_shared<object_storage>(ctx),
              {{ops::get_push_access, &object_storage::push_access},
               {object_storage_impl::list_objects, &object_storage::list},
               {object_storage_impl::object_any, &object_storage::object}});
}

}  // namespace daytona::emulator
