"""国际在线吉林频道 (jl.cri.cn), the Jilin channel of CRI Online."""

from newscrawler.portals.cri import cri_channel

PORTAL = cri_channel(
    "jl_cri",
    "jl.cri.cn",
    "国际在线吉林频道",
    [
        ("要闻", "yw"),
        ("城市远洋", "csyy"),
        ("老外在吉林", "lwzjl"),
        ("直观中国", "zgzg"),
        ("视频", "sp"),
        ("原创", "yc"),
        ("热点专题", "rdzt"),
        ("特色产业", "tscy"),
        ("市州新闻", "szxw"),
    ],
)
