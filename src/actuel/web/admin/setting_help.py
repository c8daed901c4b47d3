"""The settings' descriptions in French for the admin's settings page: config.py keeps the
English ones (README, CLI); the English catalog translates these back to them."""

from __future__ import annotations

from actuel.web.i18n import N_

SETTING_HELP: dict[str, str] = {
    "db": N_("Base de données : un chemin de fichier SQLite ou une adresse postgresql://."),
    "db_schema": N_(
        "PostgreSQL seulement : le schéma qui contient les tables d'actuel, créé s'il manque "
        "(vide : le search_path du serveur, en général public). Plusieurs sites peuvent ainsi"
        " partager une base."
    ),
    "sqlite_busy_timeout_ms": N_(
        "Temps d'attente d'un écrivain SQLite quand la base est verrouillée, en millisecondes."
    ),
    "fetch_log_keep_days": N_(
        "Jours pendant lesquels le journal des téléchargements garde chaque requête."
    ),
    "fetch_allow_private": N_(
        "Autoriser les adresses privées, locales et de lien local (tests et démonstration "
        "seulement)."
    ),
    "fetch_connect_timeout": N_("Secondes pour ouvrir une connexion."),
    "fetch_read_timeout": N_("Secondes d'attente de chaque morceau d'une réponse."),
    "fetch_deadline": N_(
        "Durée maximale d'une requête entière, redirections comprises, en secondes."
    ),
    "fetch_max_bytes": N_("Taille maximale d'une réponse, telle qu'elle arrive sur le réseau."),
    "fetch_max_decoded_bytes": N_(
        "Taille maximale d'une réponse une fois décompressée (gzip, deflate, br)."
    ),
    "fetch_max_redirects": N_("Nombre de redirections suivies avant d'abandonner."),
    "fetch_user_agent": N_("User-Agent envoyé avec chaque requête ; {version} est remplacé."),
    "fetch_concurrency": N_("Requêtes en cours en même temps, tous sites confondus."),
    "fetch_per_host_concurrency": N_("Requêtes en cours en même temps vers un même site."),
    "fetch_per_host_delay": N_("Secondes entre deux requêtes vers un même site."),
    "fetch_respect_robots": N_(
        "Respecter le robots.txt des sites avant de télécharger pages et flux."
    ),
    "fetch_robots_ttl": N_(
        "Secondes pendant lesquelles le robots.txt d'un site est gardé en mémoire."
    ),
    "fetch_robots_max_bytes": N_(
        "Taille maximale lue d'un robots.txt ; les règles au-delà sont ignorées."
    ),
    "fetch_allow_hosts": N_(
        "Noms de sites, séparés par des virgules, que la protection des adresses privées "
        "laisse passer (intranet, démonstration)."
    ),
    "fetch_retry_after_max": N_(
        "Plus long Retry-After (429/503) respecté pour un site, en secondes."
    ),
    "fetch_crawl_delay_max": N_(
        "Plus long Crawl-delay de robots.txt respecté, en secondes (0 : ignoré)."
    ),
    "fetch_ca_file": N_(
        "Fichier PEM d'autorités de certification supplémentaires (celle d'un intranet), en "
        "plus de celles de certifi."
    ),
    "poll_interval": N_("Secondes entre deux collectes d'une source, par défaut."),
    "poll_interval_min": N_("Plus court intervalle de collecte adaptatif, en secondes."),
    "poll_interval_max": N_("Plus long intervalle de collecte adaptatif, en secondes."),
    "backoff_base": N_(
        "Premier délai avant de réessayer après une erreur, en secondes (doublé à chaque fois)."
    ),
    "backoff_max": N_(
        "Plus long délai avant de réessayer après des erreurs répétées, en secondes."
    ),
    "disable_after_errors": N_("Erreurs consécutives après lesquelles une source est désactivée."),
    "page_retry_max": N_(
        "Nombre d'essais de la page d'un article avant de garder le texte du flux."
    ),
    "poll_jitter": N_(
        "Dispersion aléatoire de la prochaine collecte, en fraction de l'intervalle (0 à 0,5)."
    ),
    "stories_encoder": N_(
        "Encodeur de phrases pour les histoires entre langues : auto (USE s'il est installé),"
        " use ou none."
    ),
    "stories_window_days": N_(
        "Jours autour de la date d'un article pendant lesquels il est comparé aux autres pour"
        " trouver son histoire."
    ),
    "stories": N_("Regrouper les articles en histoires à la collecte (false : articles seuls)."),
    "parse_max_items": N_("Éléments gardés d'un flux ou d'un sitemap (les plus récents d'abord)."),
    "extract_max_html_bytes": N_("Taille maximale d'une page confiée à l'extracteur."),
    "fetch_pages": N_("Télécharger la page de chaque élément pour en extraire le texte entier."),
    "fetch_images": N_(
        "Garder une copie locale, réduite, de l'image de chaque article (le site ne pointe "
        "jamais vers celles des médias)."
    ),
    "extract_workers": N_(
        "Processus d'extraction des pages pour les grosses collectes (0 : un par processeur ;"
        " 1 : aucun processus de plus)."
    ),
    "extract_pool_min_pages": N_(
        "Nombre de pages d'une collecte à partir duquel les processus d'extraction sont lancés."
    ),
    "translate_backend": N_(
        "Moteur de traduction : none (aucun), ctranslate2 (modèles locaux) ou libretranslate (un "
        "serveur)."
    ),
    "translate_into": N_(
        "Langues dans lesquelles les articles sont traduits, séparées par des virgules (fr,en : "
        "les pages anglaises aussi)."
    ),
    "translate_models_dir": N_(
        "ctranslate2 : le dossier qui contient un dossier de modèle par paire (en-fr/, de-en/…)."
    ),
    "translate_url": N_(
        "libretranslate : l'adresse du serveur, par exemple http://127.0.0.1:5000 (adresse "
        "locale permise)."
    ),
    "translate_api_key": N_("libretranslate : la clé d'API, si le serveur en demande une."),
    "translate_full_text": N_(
        "Traduire aussi le texte entier de chaque article (sinon seulement quand un lecteur le "
        "demande, sur sa page)."
    ),
    "translate_timeout": N_("Secondes que peut durer une requête de traduction."),
    "translate_batch": N_("Textes envoyés au moteur de traduction en une requête."),
    "web_host": N_("Adresse sur laquelle écoute le serveur web."),
    "web_port": N_("Port sur lequel écoute le serveur web."),
    "site_name": N_("Nom du site, affiché sur chaque page."),
    "site_lang": N_("Langue par défaut des pages du site."),
    "excerpt_chars": N_("Caractères du texte d'un article montrés sur sa page."),
    "site_page_size": N_("Histoires (ou articles) par page d'accueil."),
    "web_workers": N_("Processus du serveur web (workers uvicorn), chacun avec son cache."),
    "feed_items": N_("Éléments de chaque flux sortant (RSS, Atom, JSON Feed)."),
    "site_cache": N_(
        "Garder les pages rendues en mémoire, compressées, jusqu'à ce que la base change."
    ),
    "site_cache_mb": N_(
        "Mémoire que le cache des pages peut occuper dans chaque processus, en Mo."
    ),
    "site_cache_check_s": N_(
        "Secondes entre deux vérifications des changements de la base : l'âge maximal d'une "
        "page en cache."
    ),
    "site_gzip_uncached": N_(
        "Compresser avec gzip les pages rendues pour une seule requête (cache coupé, lecteur "
        "avec une session) quand le client l'accepte : un tiers des octets, environ 10 % de "
        "pages par seconde en moins sur un banc local."
    ),
    "site_cache_max_age_s": N_(
        "Secondes pendant lesquelles une page en cache est servie au plus, même sans changement."
    ),
    "site_base_url": N_(
        "Adresse publique du site (https://…) pour les liens canoniques, les flux, les "
        "sitemaps et le partage ; vide : l'adresse à laquelle arrive chaque requête."
    ),
    "site_tagline": N_("Une ligne sous le nom du site, dans l'en-tête de chaque page."),
    "site_logo_url": N_(
        "Logo affiché à côté du nom du site (adresse http(s) ou /static/… ; vide : aucun)."
    ),
    "site_color": N_(
        "Couleur d'accent des liens et des mises en avant (#rgb ou #rrggbb ; garder un "
        "contraste de 4,5:1 sur blanc)."
    ),
    "site_social": N_(
        "Liens « Suivez-nous » : paires nom=adresse séparées par des virgules "
        "(Mastodon=https://…, Facebook=https://…)."
    ),
    "site_languages": N_(
        "Langues que le lecteur peut choisir pour les pages, séparées par des virgules (parmi"
        " fr, en)."
    ),
    "secret_key": N_(
        "Clé qui signe les jetons des formulaires (vide : tirée à chaque démarrage ; à fixer "
        "quand plusieurs processus servent le site)."
    ),
    "admin_session_hours": N_("Heures que dure une connexion à l'administration."),
    "login_max_failures": N_("Échecs de connexion permis par adresse et par minute."),
    "comments_min_seconds": N_(
        "Un commentaire envoyé plus tôt après l'affichage de la page est mis en attente."
    ),
    "comments_max_age": N_(
        "Secondes pendant lesquelles un formulaire de commentaire reste valable (ensuite : "
        "recharger la page)."
    ),
    "comments_max_name": N_(
        "Longueur maximale du nom de l'auteur d'un commentaire, en caractères."
    ),
    "comments_max_text": N_("Longueur maximale d'un commentaire, en caractères."),
    "comments_hold_links": N_(
        "Un commentaire qui contient au moins ce nombre de liens est mis en attente."
    ),
    "comments_address_limit": N_(
        "Commentaires qu'une même adresse peut envoyer par fenêtre d'adresse."
    ),
    "comments_address_window": N_("Durée de la limite de commentaires par adresse, en secondes."),
    "comments_story_limit": N_(
        "Commentaires qu'une même histoire peut recevoir par fenêtre d'histoire."
    ),
    "comments_story_window": N_("Durée de la limite de commentaires par histoire, en secondes."),
    "web_trust_forwarded": N_(
        "Prendre l'adresse du client dans X-Forwarded-For (seulement derrière un mandataire "
        "qui le renseigne)."
    ),
    "log_level": N_("Niveau du journal : debug, info, warning, error."),
    "log_format": N_("Format du journal : text (lisible) ou json (un objet par ligne)."),
}
