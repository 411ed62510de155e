"""Plain-language explanations of every measure, shown in the HTML report."""

from __future__ import annotations

EXPOSURE = {
    "messages_seen": "Messages other people posted in a group while this person was a member "
                     "(system notices such as joins are not counted).",
    "flagged_seen": "Of those, messages flagged as each category, by the lexicon or by an analyst.",
    "role": "Sender: sent at least one message flagged in the category. Bystander: saw at least "
            "one, sent none. Unexposed: neither.",
    "first_exposure": "When the person first and last saw a flagged or cited message.",
    "senders_seen": "How many different people sent the flagged or cited messages they saw.",
    "audience": "A message's audience is everyone who was a member of its group at the moment "
                "it was posted, except its sender.",
}

PARTICIPATION = {
    "messages_sent": "Messages the person posted (not counting system notices).",
    "share": "Their share of all messages in the group in the period.",
    "active_days": "Days (UTC) on which they posted at least once.",
    "silent": "Members of a group during a month who posted nothing in it that month.",
}

NETWORK = {
    "co_membership": "People are linked when they were in the same group at the same time; the "
                     "link's weight is the number of days their membership overlapped.",
    "interaction": "A link from B to A when B replied to or mentioned A; where the export has no "
                   "replies or mentions, when B posted within a few minutes after A (a proxy).",
    "exposure": "A link from a viewer to a sender when the viewer saw flagged content the sender "
                "posted; weighted by the number of such messages.",
    "degree": "How many people someone is directly linked to (in: links towards them; out: links "
              "from them). Weighted degree adds up the links' weights.",
    "weighted_degree": "The sum of the weights of someone's links.",
    "betweenness": "How often someone lies on the shortest path between two others: a high value "
                   "marks a go-between whose removal would cut people off from each other.",
    "closeness": "How near someone is, on average, to everyone they can reach: high values reach "
                 "the rest of the network in few steps.",
    "eigenvector": "Being linked to people who are themselves well linked: influence through "
                   "well-connected contacts.",
    "pagerank": "Like eigenvector centrality, for directed links: a share of attention that flows "
                "along links, so links from important people count more.",
    "community": "Groups of people more tightly linked to each other than to the rest (Louvain "
                 "method, seeded so the same data always gives the same groups).",
    "core": "The k-core number: the largest k such that the person belongs to a group where "
            "everyone has at least k links inside it. The innermost core is the network's heart.",
    "broker": "Someone whose removal splits the network (an articulation point), or with high "
              "betweenness and links into more than one community.",
}
