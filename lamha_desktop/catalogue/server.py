"""Texts of the shared server: connecting (where, why not, TLS), who may write what, two clerks at once,
moving a school's data in, and the server's backups."""

from __future__ import annotations

WHAT_NAMES = {"candidate": "Hồ sơ của", "organisation": "Tổ chức đảng", "ceremony": "Lễ kết nạp"}

MESSAGES: dict[str, str] = {
    # connecting
    "server.bad_url": "Địa chỉ máy chủ «{url}» không đúng dạng postgresql://người_dùng@máy_chủ:cổng/tên_dữ_liệu.",
    "server.unreachable": "Không kết nối được máy chủ {host}: {reason}.",
    "server.password_required": "Máy chủ {server} cần mật khẩu: hãy nhập mật khẩu khi được hỏi, hoặc dùng "
                                "--password-env TÊN_BIẾN.",
    "server.auth_failed": "Máy chủ {server} từ chối đăng nhập: sai tên người dùng hoặc mật khẩu.",
    "server.no_database": "Máy chủ {server} không có cơ sở dữ liệu «{database}». Người quản trị cần tạo nó rồi "
                          "chạy «lamha-desktop server-init».",
    "server.not_initialised": "Cơ sở dữ liệu {server} chưa được chuẩn bị cho phần mềm. Người quản trị chạy "
                              "«lamha-desktop server-init --database …» một lần.",
    "server.needs_upgrade": "Cơ sở dữ liệu {server} ở lược đồ {version}, cũ hơn phần mềm (lược đồ {supported}). "
                            "Người quản trị chạy «lamha-desktop server-init --database …» để nâng cấp.",
    "server.init_forbidden": "Tài khoản đang dùng không có quyền tạo bảng và vai trò trên {server} ({detail}). "
                             "Hãy chạy server-init bằng tài khoản chủ của cơ sở dữ liệu.",
    "server.bad_role": "Tên đăng nhập «{role}» không hợp lệ: chỉ chữ thường không dấu, số và dấu gạch dưới.",
    "server.offline_copy": "Bản sao gần nhất trên máy này (chỉ đọc, lúc {at}): chạy lại với --data-dir \"{folder}\".",
    "server.no_offline_copy": "Máy này chưa có bản sao nào của dữ liệu trên máy chủ.",
    "server.connected": "Đã kết nối {server}; {tls}.",
    # who may write what
    "server.forbidden": "Máy chủ không cho tài khoản {user} ghi thay đổi này: mỗi trường chỉ ghi học sinh của tổ "
                        "chức đảng mình; Ban Tổ chức chỉ ghi danh mục chung và hồ sơ của chính mình.",
    "server.duplicate": "Máy chủ đã có một bản ghi trùng với thay đổi này mà tài khoản của bạn không xem được (ví "
                        "dụ một học sinh cùng mã định danh ở trường khác). Chưa có gì được ghi; hãy hỏi Ban Tổ chức.",
    # two clerks at once
    "record.changed_meanwhile": "{what_name} «{name}» đã được {by} sửa lúc {at}, sau khi bạn mở. Phần mềm đã tải lại "
                                "dữ liệu mới nhất; những gì bạn vừa nhập vẫn còn đó: hãy xem lại rồi lưu lần nữa.",
    "server.busy": "Máy chủ đang bận ghi thay đổi của người khác trên cùng dữ liệu (đã thử {attempts} lần). "
                   "Chưa có gì được ghi; hãy thử lại sau ít phút.",
    # moving in and out
    "server.migrated": "Đã chuyển dữ liệu lên máy chủ {server}: {summary}. Số lượng trên máy chủ khớp với tệp.",
    "server.migrate_mismatch": "Số lượng trên máy chủ {server} không khớp với tệp: {details}.",
    "server.migrate_other_data": "Máy chủ {server} đã có dữ liệu khác trùng mã ({details}); không ghi gì. Hãy "
                                 "kiểm tra lại trước khi chuyển.",
    "server.initialised": "Đã chuẩn bị cơ sở dữ liệu {server} (lược đồ {version}): bảng, vai trò lamha_clerk và "
                          "quy tắc bảo mật theo dòng.",
    "server.clerk_added": "Đã tạo tài khoản {role} ({scope}) trên máy chủ {server}.",
    "server.unknown_org": "Không có tổ chức đảng mã «{code}» trên máy chủ.",
    "server.no_pg_dump": "Máy này chưa có pg_dump nên không sao lưu được máy chủ {server}. Cài gói "
                         "postgresql-client (Debian/Ubuntu) hoặc PostgreSQL (Windows), hoặc để người quản trị máy "
                         "chủ chạy «pg_dump --format=custom» theo lịch (xem docs/server.md).",
    "server.dump_failed": "pg_dump không sao lưu được {server}: {detail}",
    "server.dumped": "Đã sao lưu máy chủ {server} vào {path} (pg_dump; khôi phục bằng pg_restore).",
    "server.password_prompt": "Mật khẩu của {server}: ",
}
